import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import SessionStore from 'App/Services/SessionStore'
import {
  BROWSER_COOKIE_LIMIT,
  ChunkedCookie,
  SESSION_COOKIES_BUDGET,
} from '../../../providers/SessionDriver'
import type { PendingRegeneration } from './Storage'

/**
 * One cookie of the session as the browser sent it: the signed id
 * (`holds: null`), or a session key's encrypted value, possibly one chunk of
 * several.
 */
export type SessionCookie = {
  name: string
  holds: string | null
  part: number
  parts: number
  bytes: number
  ratio: number
}

/**
 * The cookie driver keeps the whole session in the visitor's cookies: the
 * signed id, and one encrypted cookie per session key (`<id cookie>.<key>`),
 * spread over several cookies (`~2`, `~3`...) when it passes one cookie's size.
 */
export default class CookieStorage {
  /**
   * The session's cookies as the browser sent them. Sizes count the name and
   * the value, as browsers do against their limit.
   */
  public static async inspect(ctx: HttpContextContract) {
    const idCookie = SessionStore.config.cookieName
    // Sizes are what the browser stores: the values as sent, not decoded.
    const sent = ChunkedCookie.parseCookieHeader(ctx.request.header('cookie'))
    const cookies: SessionCookie[] = []
    for (const [name, value] of Object.entries(sent)) {
      if (name !== idCookie && !name.startsWith(`${idCookie}.`)) {
        continue
      }
      const bytes = Buffer.byteLength(`${name}=${value}`)
      const { base, part } = ChunkedCookie.chunkOf(name)
      // A first chunk whose escapes do not decode counts as one part.
      const first = ChunkedCookie.decodeCookieValue(sent[base] || '') || ''
      cookies.push({
        name,
        holds: name === idCookie ? null : base.slice(idCookie.length + 1),
        part,
        parts: ChunkedCookie.chunkCount(first),
        bytes,
        ratio: bytes / BROWSER_COOKIE_LIMIT,
      })
    }
    const total = cookies.reduce((sum, cookie) => sum + cookie.bytes, 0)

    return {
      driver: 'cookie' as const,
      limit: BROWSER_COOKIE_LIMIT,
      // The gauge turns amber at three quarters of the limit and red near it.
      gauge: { low: BROWSER_COOKIE_LIMIT * 0.75, high: BROWSER_COOKIE_LIMIT * 0.875 },
      budget: SESSION_COOKIES_BUDGET,
      total,
      cookies,
    }
  }

  /**
   * The values cookies were sealed again for the new id; the old id lived
   * in the id cookie: is the browser still sending it?
   */
  public static async oldRecord(ctx: HttpContextContract, { from }: PendingRegeneration) {
    const stillOld = ctx.session.sessionId.startsWith(from)
    return { oldRecord: `${from}…`, oldRecordGone: !stillOld }
  }
}
