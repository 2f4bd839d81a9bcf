import { createCipheriv, createDecipheriv, hkdfSync, randomFillSync } from 'node:crypto'
import type { EncryptionContract } from '@ioc:Adonis/Core/Encryption'

const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * Random bytes for IVs, drawn from the kernel 4 KB at a time: one draw
 * costs a system call whatever its size (about 5 µs here), which a draw of
 * 12 bytes per sealed cookie paid on every session write. Each byte is
 * handed out once.
 */
class RandomPool {
  private bytes = Buffer.alloc(4096)
  private offset = this.bytes.length

  public take(size: number) {
    if (this.offset + size > this.bytes.length) {
      // A new buffer: the IVs handed out before may still be in use.
      this.bytes = randomFillSync(Buffer.allocUnsafe(this.bytes.length))
      this.offset = 0
    }
    this.offset += size
    return this.bytes.subarray(this.offset - size, this.offset)
  }
}

/**
 * Seals the cookie driver's key cookies: AES-256-GCM, with a key derived
 * from APP_KEY by HKDF for this use alone, a random 96-bit IV, and the
 * cookie's name as additional data, so that a value moved to another cookie
 * does not open. GCM authenticates as it encrypts: one pass where
 * AdonisJS's `Encryption` (AES-256-CBC, then an HMAC over the base64 text)
 * takes three, and the session write is the cookie driver's main cost.
 *
 * The value is `base64url(iv | tag | ciphertext)`, with no dot: a value
 * with dots was sealed by `Encryption`, as releases before this one did, and
 * is opened by it, so that a visitor's language and flash messages survive
 * the upgrade.
 */
export class CookieSeal {
  private key: Buffer
  private pool = new RandomPool()

  constructor(
    secret: string,
    private legacy?: EncryptionContract
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, '', 'adonis-sessions-demo cookie seal', 32))
  }

  /**
   * Throws when the value cannot be serialized.
   */
  public seal(value: unknown, name: string): string {
    const iv = this.pool.take(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    cipher.setAAD(Buffer.from(name))
    const head = cipher.update(JSON.stringify(value), 'utf8')
    const tail = cipher.final()
    return Buffer.concat([iv, cipher.getAuthTag(), head, tail]).toString('base64url')
  }

  /**
   * The value sealed for this cookie name, or null when it does not open.
   */
  public open<T = unknown>(sealed: string, name: string): T | null {
    if (sealed.includes('.')) {
      return this.legacy ? this.legacy.decrypt<T>(sealed, name) : null
    }
    const bytes = Buffer.from(sealed, 'base64url')
    // Node's decoder skips what is not base64url and a dangling last
    // character: only the one encoding of the sealed bytes opens.
    if (bytes.length <= IV_BYTES + TAG_BYTES || bytes.toString('base64url') !== sealed) {
      return null
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES))
      decipher.setAAD(Buffer.from(name))
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
      const head = decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES), undefined, 'utf8')
      return JSON.parse(head + decipher.final('utf8'))
    } catch {
      return null
    }
  }
}
