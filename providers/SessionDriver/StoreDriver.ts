import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import { FLASH_KEY, isPlainObject } from './Change'
import { packRecord, unpackRecord } from './Record'
import type {
  LoadedSession,
  SessionCommit,
  SessionDriver,
  SessionDriverOptions,
  TakenFlash,
} from './types'

/**
 * Makes the new stored form of a record from the one stored now (null: none);
 * returning null deletes the record.
 */
export type RecordUpdate = (stored: string | null) => string | null

/**
 * A driver whose store lives outside the process: the disk, Redis, a
 * database. A commit applies the request's change to the record as it is
 * stored at that moment, atomically (`update`), so parallel requests of one
 * visitor do not undo each other. Within this process, the commits of one
 * session run one after the other (they take a few hundred microseconds), so
 * they never contend with each other for the store.
 *
 * A store failure becomes `options.unavailable(...)`, which the app answers
 * with its 503 page at once.
 */
export abstract class StoreDriver implements SessionDriver {
  private queues = new Map<string, Promise<unknown>>()

  /**
   * What the last commit or flash take of this process stored for a session
   * (null: it removed the record), while more of that session's commits are
   * queued here. What a request read when it started is older than that, so
   * the next commit gives this to `update` as what is stored now; if another
   * process wrote meanwhile, `update` finds out as it would otherwise.
   */
  private written = new Map<string, string | null>()

  constructor(
    public readonly store: string,
    protected options: SessionDriverOptions
  ) {}

  /**
   * The stored form of the record, or null.
   */
  protected abstract fetch(sessionId: string): Promise<string | null>

  /**
   * Replaces the record by `update(what is stored now)`, atomically with
   * respect to other writers, in this process or another. `known` is the
   * stored form this process saw last, a hint the driver may use.
   */
  protected abstract update(
    sessionId: string,
    update: RecordUpdate,
    known: string | null | undefined
  ): Promise<void>

  protected abstract remove(sessionId: string): Promise<void>

  public async load(sessionId: string): Promise<LoadedSession | null> {
    const raw = await this.guard(() => this.fetch(sessionId))
    const record = unpackRecord(sessionId, raw)
    return record && { ...record, raw: raw! }
  }

  public commit({ sessionId, previousId, loaded, change }: SessionCommit) {
    return this.guard(async () => {
      let exists = false
      let next: string | null = null
      const apply: RecordUpdate = (stored) => {
        const values = change.applyTo(unpackRecord(sessionId, stored)?.values ?? null)
        exists = values !== null
        next = values && packRecord(sessionId, values, Date.now() + this.options.ageMs)
        return next
      }

      if (previousId) {
        // The session moves to a new id that no other request knows yet: its
        // record is made from the old one as stored now, then the old one goes.
        const stored = await this.fetch(previousId)
        const moved = change.applyTo(unpackRecord(previousId, stored)?.values ?? null)
        exists = moved !== null
        if (moved) {
          const record = packRecord(sessionId, moved, Date.now() + this.options.ageMs)
          await this.update(sessionId, () => record, null)
        }
        await this.remove(previousId)
        return exists
      }

      await this.serialize(sessionId, async () => {
        await this.update(sessionId, apply, this.storedNow(sessionId, loaded))
        this.written.set(sessionId, next)
      })
      return exists
    })
  }

  public takeFlash(loaded: LoadedSession, sessionId: string) {
    return this.guard(async () => {
      const taken: TakenFlash = { flash: null, exists: false }
      let next: string | null = null
      await this.serialize(sessionId, async () => {
        await this.update(
          sessionId,
          (stored) => {
            const record = unpackRecord(sessionId, stored)
            if (!record) {
              next = stored
              return stored
            }
            const { [FLASH_KEY]: flash, ...values } = record.values
            taken.flash = isPlainObject(flash) ? flash : null
            taken.exists = Object.keys(values).length > 0
            next = taken.exists ? packRecord(sessionId, values, record.expiresAt) : null
            return next
          },
          this.storedNow(sessionId, loaded)
        )
        this.written.set(sessionId, next)
      })
      return taken
    })
  }

  public async destroy(sessionId: string, _ctx?: HttpContextContract) {
    await this.guard(() => this.remove(sessionId))
  }

  /**
   * The best guess of the session's stored form for a write that starts now.
   */
  private storedNow(sessionId: string, loaded: LoadedSession | null) {
    return this.written.has(sessionId) ? this.written.get(sessionId) : loaded?.raw
  }

  /**
   * Runs the commits of one session in this process one after the other.
   */
  private serialize<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(sessionId) || Promise.resolve()
    const run = previous.then(task, task)
    const tail = run.catch(() => {})
    this.queues.set(sessionId, tail)
    tail.then(() => {
      if (this.queues.get(sessionId) === tail) {
        this.queues.delete(sessionId)
        this.written.delete(sessionId)
      }
    })
    return run
  }

  protected async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation()
    } catch (error) {
      throw this.options.unavailable(this.store, error)
    }
  }
}
