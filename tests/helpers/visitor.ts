import Env from '@ioc:Adonis/Core/Env'
import { sessionCookieName } from './session_store'

/**
 * Browsers drop a cookie whose name and value pass 4096 bytes, and so does
 * this jar, so a test sees what a visitor would.
 */
const COOKIE_LIMIT = 4096

export type Page = {
  status: number
  url: string
  headers: Headers
  html: string
  /** Every Location header followed to get here. */
  redirects: string[]
}

type RequestOptions = {
  headers?: Record<string, string>
  form?: Record<string, string | string[]>
  body?: string
  followRedirects?: boolean
}

export function appUrl() {
  return `http://${Env.get('HOST')}:${Env.get('PORT')}`
}

type VisitorOptions = {
  /**
   * The site is https for this visitor: a reverse proxy ends TLS and passes
   * the request on with `X-Forwarded-Proto: https`. Only then does the jar
   * keep and send `Secure` cookies, as a browser does.
   */
  behindHttpsProxy?: boolean
}

/**
 * A visitor with a cookie jar: the cookies of one response go with the next
 * request and redirects are followed, the way a browser does it.
 */
export class Visitor {
  public cookies = new Map<string, string>()
  public lastUrl?: string
  private behindHttpsProxy: boolean
  /**
   * Whether the site is https for this visitor: then the jar keeps and
   * sends `Secure` cookies, as a browser does.
   */
  private secureOrigin: boolean

  /**
   * `fetcher` replaces the global fetch, e.g. with one that trusts the
   * fleet's own certificate (tests/helpers/fleet.ts).
   */
  constructor(
    public baseUrl = appUrl(),
    options: VisitorOptions = {},
    private fetcher: typeof fetch = fetch
  ) {
    this.behindHttpsProxy = !!options.behindHttpsProxy
    this.secureOrigin = this.behindHttpsProxy || baseUrl.startsWith('https:')
  }

  public get(path: string, options: RequestOptions = {}) {
    return this.request('GET', path, options)
  }

  public post(path: string, form: Record<string, string | string[]>, options: RequestOptions = {}) {
    return this.request('POST', path, { ...options, form })
  }

  /**
   * Opens the form page, reads its CSRF token and other hidden fields, and
   * submits them with the fields the way the browser would, with the form
   * page as the Referer.
   */
  public async submit(formPath: string, action: string, fields: Record<string, string>) {
    const page = await this.get(formPath)
    return this.post(
      action,
      { ...hiddenFields(page.html), _csrf: csrfToken(page.html), ...fields },
      {
        headers: { referer: this.addressBarUrl(page.url) },
      }
    )
  }

  public async request(method: string, path: string, options: RequestOptions = {}): Promise<Page> {
    const redirects: string[] = []
    let url = new URL(path, this.baseUrl).toString()
    const referer = options.headers?.referer
    let response = await this.send(method, url, options)

    while (options.followRedirects !== false && [301, 302, 303, 307].includes(response.status)) {
      const location = response.headers.get('location')!
      redirects.push(location)
      url = new URL(location, url).toString()
      response = await this.send('GET', url, { headers: referer ? { referer } : {} })
    }

    this.lastUrl = url
    return {
      status: response.status,
      url,
      headers: response.headers,
      html: await response.text(),
      redirects,
    }
  }

  /**
   * The session id the visitor's session cookie carries.
   */
  /**
   * The session id the visitor's cookie carries; a production app (the
   * fleet's instances) names its cookie with the `__Host-` prefix.
   */
  public sessionId() {
    const name = sessionCookieName()
    const value = this.cookies.get(name) ?? this.cookies.get(`__Host-${name}`)
    return value ? unsignedCookieValue(value) : undefined
  }

  public cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  private async send(method: string, url: string, options: RequestOptions) {
    const headers: Record<string, string> = { accept: 'text/html', ...options.headers }
    if (this.behindHttpsProxy) {
      headers['x-forwarded-proto'] = 'https'
    }
    const cookie = this.cookieHeader()
    if (cookie) {
      headers.cookie = cookie
    }

    let body: string | undefined = options.body
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = formBody(options.form)
    }

    const response = await this.fetcher(url, { method, headers, body, redirect: 'manual' })
    this.receive(response.headers.getSetCookie())
    return response
  }

  /**
   * The URL as the visitor's address bar shows it: https behind the proxy.
   */
  private addressBarUrl(url: string) {
    return this.behindHttpsProxy ? url.replace(/^http:/, 'https:') : url
  }

  /**
   * Keeps the cookies of a response's Set-Cookie lines, as a browser does.
   */
  public receive(setCookies: string[]) {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim())
      const index = pair.indexOf('=')
      const name = pair.slice(0, index)
      const value = pair.slice(index + 1)
      // A browser on a plain http page neither stores nor sends a Secure cookie.
      if (!this.secureOrigin && attributes.some((a) => a.toLowerCase() === 'secure')) {
        continue
      }
      const expired = attributes.some((attribute) => {
        const [key, attributeValue] = attribute.split('=')
        if (key.toLowerCase() === 'max-age') {
          return Number(attributeValue) <= 0
        }
        if (key.toLowerCase() === 'expires') {
          return new Date(attributeValue).getTime() <= Date.now()
        }
        return false
      })

      if (expired || !value) {
        this.cookies.delete(name)
      } else if (name.length + value.length <= COOKIE_LIMIT) {
        this.cookies.set(name, value)
      }
    }
  }
}

export function formBody(form: Record<string, string | string[]>) {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      params.append(key, item)
    }
  }
  return params.toString()
}

/**
 * The hidden fields of the page's forms, by name.
 */
export function hiddenFields(html: string) {
  const fields: Record<string, string> = {}
  for (const [input] of html.matchAll(/<input[^>]*type=["']hidden["'][^>]*>/g)) {
    const name = input.match(/name=["']([^"']+)["']/)
    const value = input.match(/value=["']([^"']*)["']/)
    if (name) fields[name[1]] = value ? value[1] : ''
  }
  return fields
}

export function csrfToken(html: string) {
  const match = html.match(/name='_csrf' value='([^']+)'/)
  if (!match) {
    throw new Error('The page has no CSRF field')
  }
  return match[1]
}

/**
 * The value inside a signed cookie (`s:<base64 json>.<signature>`).
 */
export function unsignedCookieValue(raw: string) {
  const decoded = decodeURIComponent(raw)
  const [payload] = decoded.replace(/^s:/, '').split('.')
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).message as string
}

/**
 * The text of the page with tags removed and white space folded: what a
 * visitor reads.
 */
export function visibleText(html: string) {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * The text of the element with the given id.
 */
export function textOf(html: string, id: string) {
  const match = html.match(new RegExp(`<(\\w+)[^>]*id="${id}"[^>]*>([\\s\\S]*?)</\\1>`))
  return match ? visibleText(match[2]) : undefined
}
