import type { SessionConfig, SessionDriverContract } from '@ioc:Adonis/Addons/Session'
import type { CookieClientContract } from '@ioc:Adonis/Core/CookieClient'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import { MESSAGE_KEYS, sessionAgeMs } from './StoreDriver'

/**
 * Browsers (and curl) silently drop a cookie whose name, value and attributes
 * pass 4096 bytes.
 */
export const BROWSER_COOKIE_LIMIT = 4096

/**
 * The stock cookie driver with two guarantees added:
 *
 * - the payload carries its own expiry, so a cookie captured and replayed
 *   after the session age reads as an empty session;
 * - a session that would not fit in a cookie (or whose old input cannot be
 *   serialized at all) drops the largest old-input fields, never the errors,
 *   and says so, instead of being lost whole.
 *
 * When two requests write the same session, the visitor's browser keeps the
 * cookie of the response that arrives last.
 */
export class CookieDriver implements SessionDriverContract {
  private ageMs: number

  /**
   * The payload this request's cookie carried, when it was valid, serialized
   * as read: the session mutates the values object itself.
   */
  private received?: { expiresAt: number; json: string }

  constructor(
    private config: SessionConfig,
    private ctx: HttpContextContract,
    private cookies: CookieClientContract
  ) {
    this.ageMs = sessionAgeMs(config)
  }

  public read(sessionId: string) {
    const payload = this.ctx.request.encryptedCookie(sessionId)
    if (!payload || typeof payload !== 'object' || typeof payload.expiresAt !== 'number') {
      return null
    }
    if (payload.expiresAt < Date.now() || typeof payload.values !== 'object') {
      return null
    }
    this.received = { expiresAt: payload.expiresAt, json: JSON.stringify(payload.values) }
    return payload.values
  }

  public write(sessionId: string, values: Record<string, any>) {
    if (this.browserHasIt(values)) {
      return
    }

    let packed = this.tryPack(sessionId, values)

    if (packed === null || !this.fits(sessionId, packed)) {
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

  /**
   * The visitor's cookie already holds these values and was sealed within the
   * last tenth of the session age: sealing it again (random IV, AES, HMAC)
   * would only push the expiry back by a few minutes. The expiry still holds:
   * an idle session ends between 0.9 and 1 session age after its last use.
   */
  private browserHasIt(values: Record<string, any>) {
    if (!this.received || this.received.expiresAt - Date.now() < this.ageMs * 0.9) {
      return false
    }
    try {
      return JSON.stringify(values) === this.received.json
    } catch {
      return false
    }
  }

  private pack(sessionId: string, values: Record<string, any>) {
    return this.cookies.encrypt(sessionId, { expiresAt: Date.now() + this.ageMs, values })!
  }

  /**
   * The packed session, or null when it cannot be serialized (input nested
   * thousands of levels deep overflows the stack).
   */
  private tryPack(sessionId: string, values: Record<string, any>) {
    try {
      return this.pack(sessionId, values)
    } catch {
      return null
    }
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
      .sort((a, b) => sizeOf(flash[b]) - sizeOf(flash[a]))

    const note = this.ctx.i18n.formatMessage('messages.errors.inputTooLong')
    flash.error = typeof flash.error === 'string' ? `${flash.error} ${note}` : note

    for (const key of inputs) {
      delete flash[key]
      const packed = this.tryPack(sessionId, { ...values, __flash__: flash })
      if (packed !== null && this.fits(sessionId, packed)) {
        return packed
      }
    }

    const errorsAndNote = this.tryPack(sessionId, {
      ...values,
      __flash__: { errors: flash.errors, error: note },
    })
    if (errorsAndNote !== null && this.fits(sessionId, errorsAndNote)) {
      return errorsAndNote
    }
    return this.pack(sessionId, { ...values, __flash__: { error: note } })
  }
}

/**
 * The serialized size of a value; a value that cannot be serialized counts
 * as the largest.
 */
function sizeOf(value: unknown) {
  try {
    return JSON.stringify(value)?.length ?? 0
  } catch {
    return Infinity
  }
}
