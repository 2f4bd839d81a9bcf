import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { AllowedSessionValues, SessionContract } from '@ioc:Adonis/Addons/Session'
import { FLASH_KEY, SessionChange, isPlainObject } from './Change'
import { SessionFlash } from './SessionFlash'
import { IdCookie, expiringCookiesLast, newSessionId } from './SessionId'
import { Store } from './Store'
import type { LoadedSession, SessionOptions } from './types'

/**
 * The session of one request (`ctx.session`): its values, and the commit of
 * what the request did to them. The API of @adonisjs/session's own, with the
 * flash messages in SessionFlash.ts, the id cookie in SessionId.ts and what
 * the views see in ViewSession.ts, and these differences:
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
 *   or not the request changed any. Either ends the old id: a request still
 *   in flight with it cannot bring the old session back.
 * - The id cookie is set only when the record is written, so its expiry
 *   moves with the record's.
 */
export class TrackedSession extends SessionFlash implements SessionContract {
  public fresh = false

  private store = new Store()
  /**
   * What this request does to the session, for the commit.
   */
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

  private idCookie: IdCookie

  constructor(
    ctx: HttpContextContract,
    private options: SessionOptions
  ) {
    super(ctx, options.shedInput)
    this.idCookie = new IdCookie(ctx, options)
    const id = this.idCookie.read()
    if (id) {
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

  /**
   * Hands what this request did to the driver, which applies it to the
   * session as stored now, then sets the id cookie (it expires with the
   * record). @adonisjs/session's after hook calls this after the route.
   */
  public async commit() {
    if (!this.initiated || this.skipped || this.failed) {
      return
    }
    try {
      await this.commitChange()
    } finally {
      expiringCookiesLast(this.ctx)
    }
  }

  private async commitChange() {
    this.change.flashed = this.flashedForNext() ?? {}
    const { change, loaded } = this
    change.refresh = !!loaded && loaded.expiresAt - Date.now() < this.options.ageMs * 0.9
    if (change.isEmpty && !(this.idChanged && loaded)) {
      this.idCookie.clearUnless(this.loadedId !== undefined && !this.idChanged)
      return
    }

    const { exists, ended } = await this.options.driver.commit({
      sessionId: this.sessionId,
      previousId: this.idChanged ? this.loadedId : undefined,
      loaded,
      change,
      ctx: this.ctx,
    })
    if (ended) {
      // The id ended while this request ran (another request regenerated or
      // cleared it): the browser already holds the new id's cookie.
      return
    }
    if (exists) {
      const unchanged = this.sessionId === this.loadedId && !this.idChanged
      this.idCookie.set(this.sessionId, unchanged)
    } else {
      this.idCookie.clearUnless(this.loadedId !== undefined && !this.idChanged)
    }
  }
}
