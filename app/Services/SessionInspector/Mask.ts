import type { SessionContract } from '@ioc:Adonis/Addons/Session'

const PREFIX_LENGTH = 8

/**
 * Session keys whose values are secrets: Shield keeps the secret behind every
 * CSRF token under `csrf-secret` (this app keeps it in a cookie of its own,
 * app/Services/CsrfSecret.ts, but a session written by Shield may still hold
 * it).
 */
const SECRET_KEYS = ['csrf-secret']

/**
 * What the inspector may show of an id or a secret: its first characters.
 * The page must not undo the cookie's HttpOnly flag, nor hand out what a
 * forged form would need.
 */
export default class Mask {
  public static prefix(value: string) {
    return value.slice(0, PREFIX_LENGTH)
  }

  public static mask(value: string) {
    return `${this.prefix(value)}…`
  }

  /**
   * Every key of the session, pretty-printed for the page (which escapes it),
   * secrets shortened like the session id.
   */
  public static values(session: SessionContract) {
    return Object.entries(session.all()).map(([key, value]) => ({
      key,
      json: JSON.stringify(this.maskValue(key, value), null, 2),
    }))
  }

  private static maskValue(key: string, value: unknown) {
    if (SECRET_KEYS.includes(key) && typeof value === 'string') {
      return this.mask(value)
    }
    return value
  }
}
