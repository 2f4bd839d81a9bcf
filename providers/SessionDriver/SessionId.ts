import { randomBytes } from 'node:crypto'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { CookieOptions } from '@ioc:Adonis/Core/Response'
import type { VerifiedCookies } from './VerifiedCookies'

/**
 * Session ids are 24 random URL-safe characters (144 bits); ids made by the
 * stock session (cuids) pass too.
 */
const SESSION_ID = /^[A-Za-z0-9_-]{16,128}$/

export function newSessionId() {
  return randomBytes(18).toString('base64url')
}

export type IdCookieOptions = {
  /**
   * The id cookie's name (config/session.ts); the cookie driver names its
   * cookies after it.
   */
  cookieName: string
  cookie: Partial<CookieOptions>
  /**
   * Id cookies whose signature was checked already.
   */
  verifiedIds: VerifiedCookies
}

/**
 * The session id cookie of one request: signed, set only when the record is
 * written (so its expiry moves with the record's), cleared when the record
 * it points to is gone.
 */
export class IdCookie {
  constructor(
    private ctx: HttpContextContract,
    private options: IdCookieOptions
  ) {}

  /**
   * The session id the signed cookie carries, or null; a cookie verified
   * before is not verified again.
   */
  public read() {
    const { cookieName, verifiedIds } = this.options
    const raw = this.received()
    if (typeof raw !== 'string') {
      return null
    }
    const id = verifiedIds.read(cookieName, raw, () => this.ctx.request.cookie(cookieName))
    return typeof id === 'string' && SESSION_ID.test(id) ? id : null
  }

  /**
   * Sets the cookie to `sessionId`. An id the request's cookie carried is
   * sent back as it came (`unchanged`): signing it again (an HMAC) would
   * give the same value.
   */
  public set(sessionId: string, unchanged: boolean) {
    const { cookieName, cookie } = this.options
    const received = this.received()
    if (unchanged && typeof received === 'string') {
      this.ctx.response.plainCookie(cookieName, received, { ...cookie, encode: false } as any)
    } else {
      this.ctx.response.cookie(cookieName, sessionId, cookie)
    }
  }

  /**
   * Clears the cookie, if the browser sent one, unless the record it points
   * to is still there (`kept`).
   */
  public clearUnless(kept: boolean) {
    if (!kept && this.received() !== undefined) {
      this.ctx.response.clearCookie(this.options.cookieName)
    }
  }

  private received() {
    return this.ctx.request.cookiesList()[this.options.cookieName]
  }
}

/**
 * Moves the response's expiring Set-Cookie lines after the others: curl
 * (7.88, Debian 12) ignores an expiring Set-Cookie that another Set-Cookie
 * follows in the same response, and would keep a flash message forever.
 */
export function expiringCookiesLast(ctx: HttpContextContract) {
  const lines = ctx.response.getHeader('set-cookie')
  if (!Array.isArray(lines) || lines.length < 2) {
    return
  }
  const expiring = lines.filter((line) => /;\s*Max-Age=-/i.test(line))
  if (expiring.length > 0 && expiring.length < lines.length) {
    const kept = lines.filter((line) => !expiring.includes(line))
    ctx.response.header('set-cookie', [...kept, ...expiring])
  }
}
