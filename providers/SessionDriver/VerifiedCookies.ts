import { patchesEnabled } from '../Patches'

/**
 * Values longer than this are not kept: a flash message with the visitor's
 * old input is read once, and would only push the small, often sent cookies
 * (the session id, the language) out.
 */
const MAX_BYTES = 1024

/**
 * A verified value: objects as JSON text, so that every caller gets its own
 * copy to change.
 */
type Entry = { name: string; value: unknown; json: boolean }

/**
 * Cookie values this process has already verified (an HMAC checked, a
 * payload decrypted), by their exact bytes and the cookie's name, so that a
 * visitor who sends the same cookies again does not pay for the
 * cryptography on every request. Only a value that passed is kept, and the
 * result is a function of the name, the bytes and APP_KEY alone: a signed id
 * carries no expiry, and a session payload carries its own, which the driver
 * checks on every request. Bounded: the `limit` values verified last.
 * A speed patch like those of providers/Patches: APP_PATCHES=off verifies
 * every cookie every time, as the stock session does.
 */
export class VerifiedCookies {
  private entries = new Map<string, Entry>()
  private enabled = patchesEnabled()

  constructor(private limit = 1000) {}

  /**
   * What `verify()` gives for this cookie; null when it fails.
   */
  public read<T>(name: string, raw: string, verify: () => T | null): T | null {
    if (!this.enabled) {
      return verify()
    }
    const known = this.entries.get(raw)
    if (known !== undefined && known.name === name) {
      return (known.json ? JSON.parse(known.value as string) : known.value) as T
    }

    const value = verify()
    if (value !== null && value !== undefined && raw.length <= MAX_BYTES) {
      const json = typeof value === 'object'
      this.entries.set(raw, { name, value: json ? JSON.stringify(value) : value, json })
      if (this.entries.size > this.limit) {
        this.entries.delete(this.entries.keys().next().value!)
      }
    }
    return value
  }
}
