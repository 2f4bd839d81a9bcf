import { randomBytes } from 'node:crypto'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { CookieOptions } from '@ioc:Adonis/Core/Response'
import type { AllowedSessionValues, SessionContract } from '@ioc:Adonis/Addons/Session'
import { FLASH_KEY, SessionChange, isPlainObject } from './Change'
import { Store } from './Store'
import type { VerifiedCookies } from './VerifiedCookies'
import type { LoadedSession, SessionDriver, SessionDriverOptions } from './types'

/**
 * Session ids are 24 random URL-safe characters (144 bits); ids made by the
 * stock session (cuids) pass too.
 */
const SESSION_ID = /^[A-Za-z0-9_-]{16,128}$/

export function newSessionId() {
  return randomBytes(18).toString('base64url')
}

/**
 * The session id the signed id cookie carries, or null; a cookie verified
 * before is not verified again.
 */
function readId(ctx: HttpContextContract, { cookieName, verifiedIds }: SessionOptions) {
  const raw = ctx.request.cookiesList()[cookieName]
  if (typeof raw !== 'string') {
    return null
  }
  return verifiedIds.read(cookieName, raw, () => ctx.request.cookie(cookieName))
}

export type SessionOptions = Pick<SessionDriverOptions, 'ageMs' | 'shedInput'> & {
  cookieName: string
  /**
   * Id cookies whose signature was checked already.
   */
  verifiedIds: VerifiedCookies
  cookie: Partial<CookieOptions>
  driver: SessionDriver
  /**
   * Requests that neither read nor write a session (a health check must not
   * leave a session behind, and must answer while the store is down).
   */
  skip?: (ctx: HttpContextContract) => boolean
}

/**
 * The session of one request, with the API of @adonisjs/session's own
 * (`ctx.session`, `flashMessages` in the views), and these differences:
 *
 * - It records what the request does (keys put and forgotten, flash messages
 *   read and set, clear, regenerate) and commits that change, which the
 *   driver applies to the session as stored at that moment: parallel
 *   requests of one visitor keep each other's changes. A request that
 *   changed nothing writes nothing.
 * - A visitor who has stored nothing has no session: no record in the store
 *   and no session cookie. An emptied session is deleted.
 * - A session id that the store has no record for is not reused: the
 *   request gets a new id, as after `regenerate()`.
 * - `clear()` issues a new id too; `regenerate()` keeps the values, whether
 *   or not the request changed any, and removes the old record.
 * - The id cookie is set only when the record is written, so its expiry
 *   moves with the record's.
 */
export class TrackedSession implements SessionContract {
  public initiated = false
  public readonly = false
  public fresh = false
  public flashMessages = new Store()
  public responseFlashMessages = new Store()

  private store = new Store()
  private change = new SessionChange()
  private loaded: LoadedSession | null = null
  /**
   * The id whose record this request read.
   */
  private loadedId?: string
  private idChanged = false
  private skipped = false
  private failed = false
  /**
   * Undefined until a new id is needed: most visitors without a session
   * never store one, and drawing 18 random bytes for each would be waste.
   */
  private id?: string

  constructor(
    private ctx: HttpContextContract,
    private options: SessionOptions
  ) {
    const id = readId(ctx, options)
    if (typeof id === 'string' && SESSION_ID.test(id)) {
      this.id = id
    } else {
      this.fresh = true
    }
  }

  public get sessionId() {
    return (this.id ||= newSessionId())
  }

  public set sessionId(id: string) {
    this.id = id
  }

  /**
   * Whether this request gave the session a new id (`regenerate()` or
   * `clear()`): secrets tied to the session, like the CSRF secret, should
   * change with it.
   */
  public get regenerated() {
    return this.idChanged
  }

  public async initiate(readonly: boolean) {
    if (this.initiated) {
      return
    }
    this.readonly = readonly
    if (this.options.skip?.(this.ctx)) {
      this.skipped = true
    } else if (!this.fresh) {
      try {
        this.loaded = await this.options.driver.load(this.sessionId, this.ctx)
      } catch (error) {
        this.failed = true
        throw error
      }
      if (this.loaded) {
        this.loadedId = this.sessionId
      } else {
        this.id = undefined
        this.fresh = true
      }
    }

    this.store = new Store(this.loaded?.values)
    const flash = await this.takeFlash()
    if (flash) {
      this.flashMessages.update(flash)
    }
    this.initiated = true
    this.shareWithView()
  }

  /**
   * The flash messages of the previous request, which this request consumes.
   * A driver that can takes them out of the store at once, so that of two
   * parallel requests only one shows a message; otherwise the commit removes
   * the ones this request read.
   */
  private async takeFlash() {
    const flash = this.store.pull(FLASH_KEY, null)
    if (!isPlainObject(flash) || !this.loaded) {
      return null
    }
    if (!this.options.driver.takeFlash) {
      this.change.flashRead = { ...flash }
      return flash
    }
    try {
      const taken = await this.options.driver.takeFlash(this.loaded, this.sessionId)
      if (!taken.exists) {
        this.loaded = null
        this.loadedId = undefined
      }
      return taken.flash
    } catch (error) {
      this.failed = true
      throw error
    }
  }

  public regenerate() {
    this.sessionId = newSessionId()
    this.idChanged = true
  }

  public put(key: string, value: AllowedSessionValues) {
    this.ensureIsMutable()
    this.store.set(key, value)
    this.change.put(key, value)
  }

  public has(key: string) {
    this.ensureIsReady()
    return this.store.has(key)
  }

  public get(key: string, defaultValue?: any) {
    this.ensureIsReady()
    return this.store.get(key, defaultValue)
  }

  public all() {
    this.ensureIsReady()
    return this.store.all()
  }

  public forget(key: string) {
    this.ensureIsMutable()
    this.store.unset(key)
    this.change.forget(key)
  }

  public pull(key: string, defaultValue?: any) {
    const value = this.get(key, defaultValue)
    this.forget(key)
    return value
  }

  public increment(key: string, steps = 1) {
    this.ensureIsMutable()
    this.store.increment(key, steps)
    this.change.put(key, this.store.get(key))
  }

  public decrement(key: string, steps = 1) {
    this.ensureIsMutable()
    this.store.decrement(key, steps)
    this.change.put(key, this.store.get(key))
  }

  /**
   * Empties the session and gives it a new id: the record as stored at
   * commit time goes, changes a parallel request made to it included.
   */
  public clear() {
    this.ensureIsMutable()
    this.store.clear()
    this.change.clear()
    this.regenerate()
  }

  public flash(
    key: string | { [key: string]: AllowedSessionValues },
    value?: AllowedSessionValues
  ) {
    this.ensureIsMutable()
    if (typeof key !== 'string') {
      this.responseFlashMessages.merge(key)
    } else if (value) {
      this.responseFlashMessages.set(key, value)
    }
  }

  public flashAll() {
    this.flashInput(this.ctx.request.original())
  }

  public flashExcept(keys: string[]) {
    const input = { ...this.ctx.request.original() }
    for (const key of keys) delete input[key]
    this.flashInput(input)
  }

  public flashOnly(keys: string[]) {
    const original = this.ctx.request.original()
    const input: Record<string, any> = {}
    for (const key of keys) {
      if (key in original) input[key] = original[key]
    }
    this.flashInput(input)
  }

  public reflash() {
    this.flash(this.flashMessages.all())
  }

  public reflashOnly(keys: string[]) {
    const messages = this.flashMessages.all()
    this.flash(
      Object.fromEntries(keys.filter((key) => key in messages).map((key) => [key, messages[key]]))
    )
  }

  public reflashExcept(keys: string[]) {
    const messages = { ...this.flashMessages.all() }
    for (const key of keys) delete messages[key]
    this.flash(messages)
  }

  public async commit() {
    if (!this.initiated || this.skipped || this.failed) {
      return
    }
    this.takeFlashMessages()

    const { change, loaded } = this
    change.refresh = !!loaded && loaded.expiresAt - Date.now() < this.options.ageMs * 0.9
    if (change.isEmpty && !(this.idChanged && loaded)) {
      this.forgetIdCookieIfUnused()
      return
    }

    const exists = await this.options.driver.commit({
      sessionId: this.sessionId,
      previousId: this.idChanged ? this.loadedId : undefined,
      loaded,
      change,
      ctx: this.ctx,
    })
    if (exists) {
      this.setIdCookie()
    } else {
      this.forgetIdCookieIfUnused()
    }
  }

  /**
   * The flash messages set by this request, as the change to commit; input
   * that cannot be serialized (JSON nested thousands of levels deep) is left
   * out with a note instead of failing the request.
   */
  private takeFlashMessages() {
    if (this.responseFlashMessages.isEmpty) {
      return
    }
    const { input, ...others } = this.responseFlashMessages.all()
    let flashed = { ...input, ...others }
    try {
      JSON.stringify(flashed)
    } catch {
      flashed = this.options.shedInput(flashed, this.ctx)
    }
    this.change.flashed = flashed
  }

  private flashInput(input: Record<string, any>) {
    this.ensureIsMutable()
    this.responseFlashMessages.set('input', input)
  }

  /**
   * Sets the id cookie, so it expires with the record just written. An id
   * the request's cookie carried is sent back as it came: signing it again
   * (an HMAC) would give the same value.
   */
  private setIdCookie() {
    const { cookieName, cookie } = this.options
    const received = this.ctx.request.cookiesList()[cookieName]
    if (this.sessionId === this.loadedId && !this.idChanged && typeof received === 'string') {
      this.ctx.response.plainCookie(cookieName, received, { ...cookie, encode: false } as any)
    } else {
      this.ctx.response.cookie(cookieName, this.sessionId, cookie)
    }
  }

  private forgetIdCookieIfUnused() {
    const { cookieName } = this.options
    if (this.ctx.request.cookiesList()[cookieName] !== undefined && !this.loadedIdKept()) {
      this.ctx.response.clearCookie(cookieName)
    }
  }

  /**
   * Whether the record the request's cookie points to is still there.
   */
  private loadedIdKept() {
    return this.loadedId !== undefined && !this.idChanged
  }

  private shareWithView() {
    const view = (this.ctx as any).view
    if (!view || typeof view.share !== 'function') {
      return
    }
    view.share({ flashMessages: this.flashMessages, session: new ViewSession(this) })
  }

  private ensureIsReady() {
    if (!this.initiated) {
      throw new Error('The session is not initiated yet: is the session hook registered?')
    }
  }

  private ensureIsMutable() {
    this.ensureIsReady()
    if (this.readonly) {
      throw new Error('The session is read-only in this request')
    }
  }
}

/**
 * `session` in the views: reads only. A class instance, which Edge's share()
 * keeps as it is, where a plain object of three functions went through a
 * deep merge on every request.
 */
class ViewSession {
  constructor(private session: TrackedSession) {}

  public get(key: string, defaultValue?: any) {
    return this.session.get(key, defaultValue)
  }

  public has(key: string) {
    return this.session.has(key)
  }

  public all() {
    return this.session.all()
  }
}
