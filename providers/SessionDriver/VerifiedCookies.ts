/**
 * Values longer than this are not kept: a flash message with the visitor's
 * old input is read once, and would only push the small, often sent cookies
 * (the session id, the language) out.
 */
const MAX_BYTES = 1024

/**
 * Cookie values this process has already verified (an HMAC checked, a
 * payload decrypted), by the cookie's name and its exact bytes, so that a
 * visitor who sends the same cookies again does not pay for the cryptography
 * on every request. Only a value that passed is kept, and the result is a
 * function of the name, the bytes and APP_KEY alone: a signed id carries no
 * expiry, and a session payload carries its own, which the driver checks on
 * every request. Bounded: at most `limit` values, the least recently used
 * dropped first.
 */
export class VerifiedCookies {
  /**
   * JSON text of each result: every caller gets its own copy to change.
   */
  private entries = new Map<string, string>()

  constructor(private limit = 1000) {}

  /**
   * What `verify()` gives for this cookie; null when it fails.
   */
  public read<T>(name: string, raw: string, verify: () => T | null): T | null {
    const key = `${name}\u0000${raw}`
    const known = this.entries.get(key)
    if (known !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, known)
      return JSON.parse(known)
    }

    const value = verify()
    if (value !== null && value !== undefined && raw.length <= MAX_BYTES) {
      this.entries.set(key, JSON.stringify(value))
      if (this.entries.size > this.limit) {
        this.entries.delete(this.entries.keys().next().value!)
      }
    }
    return value
  }
}
