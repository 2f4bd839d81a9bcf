import type { SessionConfig, SessionDriverContract } from '@ioc:Adonis/Addons/Session'
import type { CookieClientContract } from '@ioc:Adonis/Core/CookieClient'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'

/**
 * Browsers (and curl) silently drop a cookie whose name, value and attributes
 * pass 4096 bytes.
 */
export const BROWSER_COOKIE_LIMIT = 4096

/**
 * Flash keys that are messages rather than the visitor's old input.
 */
const MESSAGE_KEYS = ['errors', 'success', 'error']

/**
 * The stock cookie driver with two guarantees added:
 *
 * - the payload carries its own expiry, so a cookie captured and replayed
 *   after the session age reads as an empty session;
 * - a session that would not fit in a cookie drops the largest old-input
 *   fields (never the errors) and says so, instead of being lost whole.
 */
export class CookieDriver implements SessionDriverContract {
  private ageMs: number

  constructor(
    private config: SessionConfig,
    private ctx: HttpContextContract,
    private cookies: CookieClientContract
  ) {
    // The session manager copies the session age (in seconds) to cookie.maxAge.
    this.ageMs = (config.cookie as { maxAge: number }).maxAge * 1000
  }

  public read(sessionId: string) {
    const payload = this.ctx.request.encryptedCookie(sessionId)
    if (!payload || typeof payload !== 'object' || typeof payload.expiresAt !== 'number') {
      return null
    }
    if (payload.expiresAt < Date.now() || typeof payload.values !== 'object') {
      return null
    }
    return payload.values
  }

  public write(sessionId: string, values: Record<string, any>) {
    let packed = this.pack(sessionId, values)

    if (!this.fits(sessionId, packed)) {
      packed = this.dropOldInput(sessionId, values)
    }

    // Already encrypted: `encode: false` (the serializer's option, typed as
    // `encoded`) writes the value as is, where encryptedCookie would redo it.
    const options: any = { ...this.config.cookie, encode: false }
    this.ctx.response.plainCookie(sessionId, packed, options)
  }

  public destroy(sessionId: string) {
    if (this.ctx.request.cookiesList()[sessionId]) {
      this.ctx.response.clearCookie(sessionId)
    }
  }

  public touch(sessionId: string) {
    const values = this.read(sessionId)
    if (values) {
      this.write(sessionId, values)
    }
  }

  private pack(sessionId: string, values: Record<string, any>) {
    return this.cookies.encrypt(sessionId, { expiresAt: Date.now() + this.ageMs, values })!
  }

  private fits(sessionId: string, packed: string) {
    // Name, value and the attributes the browser counts, with some margin.
    const size = sessionId.length + 1 + encodeURIComponent(packed).length + 100
    return size <= BROWSER_COOKIE_LIMIT
  }

  /**
   * Removes old-input fields, largest first, until the session fits, and adds
   * a note in the visitor's language. Errors and messages are kept; only when
   * they alone do not fit (a form field named like a message key, say) the
   * flash keeps the validation errors and the note, or the note alone.
   */
  private dropOldInput(sessionId: string, values: Record<string, any>) {
    const flash = { ...(values.__flash__ || {}) }
    const inputs = Object.keys(flash)
      .filter((key) => !MESSAGE_KEYS.includes(key))
      .sort((a, b) => JSON.stringify(flash[b]).length - JSON.stringify(flash[a]).length)

    const note = this.ctx.i18n.formatMessage('messages.errors.inputTooLong')
    flash.error = typeof flash.error === 'string' ? `${flash.error} ${note}` : note

    let packed = ''
    for (const key of inputs) {
      delete flash[key]
      packed = this.pack(sessionId, { ...values, __flash__: flash })
      if (this.fits(sessionId, packed)) {
        return packed
      }
    }

    for (const last of [{ errors: flash.errors, error: note }, { error: note }]) {
      packed = this.pack(sessionId, { ...values, __flash__: last })
      if (this.fits(sessionId, packed)) {
        break
      }
    }
    return packed
  }
}
