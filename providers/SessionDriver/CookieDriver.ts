import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { CookieOptions } from '@ioc:Adonis/Core/Response'
import { FLASH_KEY, isPlainObject } from './Change'
import type { CookieSeal } from './CookieSeal'
import {
  COOKIE_LIMIT,
  SESSION_COOKIES_BUDGET,
  chunkName,
  chunkOf,
  isLaterChunk,
  joinChunks,
  splitIntoChunks,
} from './ChunkedCookie'
import type {
  CommitResult,
  LoadedSession,
  SessionCommit,
  SessionDriver,
  SessionDriverOptions,
} from './types'
import { VerifiedCookies } from './VerifiedCookies'

export type CookieDriverOptions = SessionDriverOptions & {
  seal: CookieSeal
  /**
   * The session id cookie's name; each key's cookie is `<name>.<key>`.
   */
  cookieName: string
  cookie: Partial<CookieOptions>
}

type Sealed = { name: string; chunks: string[] }

/**
 * Keeps the session in the visitor's browser: one encrypted cookie per
 * top-level session key (`adonis-session.userLanguage`,
 * `adonis-session.__flash__`...), split over several cookies when the value
 * passes one cookie's limit, as ASP.NET Core's chunking cookie manager does.
 *
 * - A response sets only the cookies of the keys its request changed, so two
 *   requests that change different keys (a language switch and a form post)
 *   keep both changes. Two that change the same key: the browser keeps the
 *   cookie of the response that arrives last.
 * - Each cookie names the session id and carries an expiry: a cookie from
 *   another session, or replayed after the session age, reads as nothing and
 *   is cleared, so no cookie the session does not use is left behind.
 * - A session that would pass SESSION_COOKIES_BUDGET sheds the visitor's old
 *   input (`options.shedInput`) instead of being lost whole.
 * - After `regenerate()` or `clear()` every cookie is sealed again for the
 *   new id, but a copy of the cookies saved before still opens the old
 *   session until its expiry (the session age): the server keeps nothing
 *   that could say the old id ended. That is inherent to sessions the client
 *   holds, as Rails' CookieStore and Fastify's secure-session say too; where
 *   it matters (a login), use a server-side driver or a shorter age.
 */
export class CookieDriver implements SessionDriver {
  public readonly store = 'cookie' as const
  private prefix: string
  private opened = new VerifiedCookies()

  constructor(private options: CookieDriverOptions) {
    this.prefix = `${options.cookieName}.`
  }

  /**
   * The cookie that holds a session key.
   */
  public cookieNameOf(key: string) {
    return `${this.prefix}${/^[A-Za-z0-9_-]+$/.test(key) ? key : `!${Buffer.from(key).toString('base64url')}`}`
  }

  public async load(sessionId: string, ctx: HttpContextContract): Promise<LoadedSession | null> {
    const cookies = ctx.request.cookiesList()
    const values: Record<string, any> = {}
    let expiresAt = Infinity

    for (const name of Object.keys(cookies)) {
      if (!name.startsWith(this.prefix) || isLaterChunk(name)) {
        continue
      }
      const key = this.keyOf(name)
      const payload = key === null ? null : this.open(name, joinChunks(cookies, name))
      if (!payload || payload.s !== sessionId || !(payload.e > Date.now())) {
        this.clear(ctx, name, cookies)
        continue
      }
      values[key!] = payload.v
      expiresAt = Math.min(expiresAt, payload.e)
    }

    return expiresAt === Infinity ? null : { values, expiresAt }
  }

  public async commit(commit: SessionCommit): Promise<CommitResult> {
    const { sessionId, previousId, loaded, change, ctx } = commit
    const cookies = ctx.request.cookiesList()
    const next = change.applyTo(loaded?.values ?? null) || {}
    const keys = (!previousId && change.touchedKeys()) || this.allKeys(next, cookies)
    const expiresAt = Date.now() + this.options.ageMs

    const sealed = new Map<string, Sealed>()
    for (const key of keys) {
      if (next[key] !== undefined) {
        sealed.set(key, this.seal(sessionId, key, next[key], expiresAt))
      }
    }

    if (
      isPlainObject(next[FLASH_KEY]) &&
      this.sizeAfter(sealed, keys, cookies) > SESSION_COOKIES_BUDGET
    ) {
      const shed = this.options.shedInput(next[FLASH_KEY], ctx)
      sealed.set(FLASH_KEY, this.seal(sessionId, FLASH_KEY, shed, expiresAt))
      if (this.sizeAfter(sealed, keys, cookies) > SESSION_COOKIES_BUDGET) {
        const note = this.options.shedInput({}, ctx)
        sealed.set(FLASH_KEY, this.seal(sessionId, FLASH_KEY, note, expiresAt))
      }
    }

    // The cookies that expire go last: curl (7.88) ignores an expiring
    // Set-Cookie that another Set-Cookie follows in the same response.
    for (const value of sealed.values()) {
      this.write(ctx, value)
    }
    for (const key of keys) {
      const value = sealed.get(key)
      const name = this.cookieNameOf(key)
      this.clear(ctx, name, cookies, value ? value.chunks.length : 0)
    }

    return { exists: Object.keys(next).length > 0, ended: false }
  }

  /**
   * The browser holds the session: nothing on the server to check, prune or
   * describe.
   */
  public async check() {}

  public async prune() {
    return null
  }

  public async describe() {
    return null
  }

  /**
   * Every key of the session and every key the browser holds a cookie for.
   */
  private allKeys(values: Record<string, any>, cookies: Record<string, any>) {
    const keys = new Set(Object.keys(values))
    for (const name of Object.keys(cookies)) {
      const key = name.startsWith(this.prefix) && !isLaterChunk(name) && this.keyOf(name)
      if (typeof key === 'string') keys.add(key)
    }
    return keys
  }

  private keyOf(name: string) {
    const encoded = name.slice(this.prefix.length)
    if (!encoded.startsWith('!')) {
      return encoded
    }
    const key = Buffer.from(encoded.slice(1), 'base64url').toString()
    return this.cookieNameOf(key) === name ? key : null
  }

  /**
   * The value sealed for its cookie and cut into chunks that each fit one
   * cookie. Throws when the value cannot be serialized.
   */
  private seal(sessionId: string, key: string, value: unknown, expiresAt: number): Sealed {
    const name = this.cookieNameOf(key)
    const sealed = this.options.seal.seal({ s: sessionId, e: expiresAt, v: value }, name)
    return { name, chunks: splitIntoChunks(sealed, COOKIE_LIMIT - name.length - 8) }
  }

  /**
   * The payload of a key's cookie, or null. `load` checks its session id and
   * expiry on every request, also for a payload decrypted before.
   */
  private open(name: string, sealed: string | null) {
    if (!sealed) {
      return null
    }
    return this.opened.read(name, sealed, () => {
      try {
        const payload = this.options.seal.open(sealed, name)
        return isPlainObject(payload) ? payload : null
      } catch {
        return null
      }
    })
  }

  /**
   * The bytes the browser will send in its Cookie header for the session's
   * key cookies after this response.
   */
  private sizeAfter(sealed: Map<string, Sealed>, keys: Set<string>, cookies: Record<string, any>) {
    let size = 0
    for (const { name, chunks } of sealed.values()) {
      chunks.forEach((chunk, index) => {
        size += chunkName(name, index).length + chunk.length + 3
      })
    }
    for (const [name, value] of Object.entries(cookies)) {
      const key = name.startsWith(this.prefix) ? this.keyOf(chunkOf(name).base) : null
      if (key !== null && !keys.has(key) && typeof value === 'string') {
        size += name.length + encodeURIComponent(value).length + 3
      }
    }
    return size
  }

  private write(ctx: HttpContextContract, { name, chunks }: Sealed) {
    const options = { ...this.options.cookie, encode: false } as any
    chunks.forEach((chunk, index) =>
      ctx.response.plainCookie(chunkName(name, index), chunk, options)
    )
  }

  /**
   * Clears a cookie's chunks from `from` on (all of them by default), if the
   * browser holds them.
   */
  private clear(ctx: HttpContextContract, name: string, cookies: Record<string, any>, from = 0) {
    for (let index = from; cookies[chunkName(name, index)] !== undefined; index++) {
      ctx.response.clearCookie(chunkName(name, index))
    }
  }
}
