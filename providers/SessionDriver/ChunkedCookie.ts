/*
 * The format of the cookie driver's cookies, in one place for the driver,
 * the session inspector and the tests: a value too large for one cookie is
 * cut into chunks, as ASP.NET Core's chunking cookie manager does. `<name>`
 * holds `<count>~<first chunk>`, then come `<name>~2`, `<name>~3`...
 */

/**
 * Browsers drop a cookie whose name and value pass 4096 bytes.
 */
export const BROWSER_COOKIE_LIMIT = 4096

/**
 * The size a chunk's name and value are kept under: room for the attributes
 * some browsers count too.
 */
export const COOKIE_LIMIT = 4000

/**
 * What all the session's cookies together may take in the request's Cookie
 * header. Node refuses a request whose headers pass 16 KB (431); this leaves
 * about 4 KB for the browser's other headers and the site's other cookies.
 */
export const SESSION_COOKIES_BUDGET = 12_000

const CHUNK = '~'
const FIRST_CHUNK = /^(\d{1,2})~(.*)$/s

/**
 * The name of a cookie's chunk; index 0 is the cookie itself.
 */
export function chunkName(name: string, index: number) {
  return index === 0 ? name : `${name}${CHUNK}${index + 1}`
}

/**
 * Whether a name is a chunk after the first (`<name>~2`...).
 */
export function isLaterChunk(name: string) {
  return name.includes(CHUNK)
}

/**
 * The cookie a chunk belongs to, and which chunk it is (1 for the first).
 */
export function chunkOf(name: string) {
  const [base, part] = name.split(CHUNK)
  return { base, part: Number(part) || 1 }
}

/**
 * A value cut into chunks of at most `room` characters, the first one
 * carrying the count when there are several.
 */
export function splitIntoChunks(value: string, room: number) {
  const chunks: string[] = []
  for (let start = 0; start < value.length; start += room) {
    chunks.push(value.slice(start, start + room))
  }
  if (chunks.length > 1) {
    chunks[0] = `${chunks.length}${CHUNK}${chunks[0]}`
  }
  return chunks
}

/**
 * How many chunks the cookie whose first value is given has: 1 when it is
 * not chunked.
 */
export function chunkCount(first: string) {
  return Number(FIRST_CHUNK.exec(first)?.[1] || 1)
}

/**
 * A chunked cookie's value put back together from the request's cookies
 * (decoded values, by name), or null when a chunk is missing or not text.
 */
export function joinChunks(cookies: Record<string, unknown>, name: string) {
  const first = cookies[name]
  if (typeof first !== 'string') {
    return null
  }
  const match = FIRST_CHUNK.exec(first)
  if (!match) {
    return first
  }
  let joined = match[2]
  for (let index = 1; index < Number(match[1]); index++) {
    const chunk = cookies[chunkName(name, index)]
    if (typeof chunk !== 'string') {
      return null
    }
    joined += chunk
  }
  return joined
}

/**
 * A cookie value as sent, percent-decoded; null when its escapes are not
 * valid UTF-8 (`%E0%A4%A`): such a cookie is ignored, never an error.
 */
export function decodeCookieValue(raw: string) {
  try {
    return decodeURIComponent(raw)
  } catch {
    return null
  }
}

/**
 * A Cookie header's cookies by name, values as sent (not decoded). Of two
 * cookies with one name the first counts, as in the framework's parser.
 */
export function parseCookieHeader(header: string | undefined) {
  const cookies: Record<string, string> = Object.create(null)
  for (const pair of (header || '').split(';')) {
    const index = pair.indexOf('=')
    const name = index > 0 ? pair.slice(0, index).trim() : ''
    if (name && cookies[name] === undefined) {
      cookies[name] = pair.slice(index + 1).trim()
    }
  }
  return cookies
}
