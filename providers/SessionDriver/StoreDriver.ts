import { performance } from 'node:perf_hooks'
import { FLASH_KEY, isEnded, isPlainObject, packEnded, packRecord, unpackRecord } from './Change'
import type {
  CommitResult,
  LoadedSession,
  PruneResult,
  SessionCommit,
  SessionDriver,
  SessionDriverOptions,
  StoredRecord,
  TakenFlash,
} from './types'

/**
 * One atomic change of a record: the driver hands `next` what is stored now
 * (null: nothing) and stores what it returns (null: no record). The driver
 * notes how often it had to start again (`retries`) and how long it waited
 * for a lock (`lockWaitMs`), for `onStoreOperation`.
 */
export class RecordUpdate {
  public retries = 0
  public lockWaitMs = 0
  /**
   * What the last call of `next` returned.
   */
  public written: string | null = null

  constructor(private apply: (stored: string | null) => string | null) {}

  public next(stored: string | null) {
    this.written = this.apply(stored)
    return this.written
  }
}

type Outcome = CommitResult

/**
 * A driver whose store lives outside the process: the disk, Redis, a
 * database. `commit` applies the request's change to the record as it is
 * stored at that moment, atomically (`update`), so parallel requests of one
 * visitor do not undo each other. Within this process, the commits of one
 * session run one after the other (`inTurn`; they take a few hundred
 * microseconds), so they never contend with each other for the store.
 *
 * `regenerate()` and `clear()` end the old id: its record becomes an end
 * marker for the session age, so a request still in flight with the old id
 * cannot bring the old session back; its commit fails with `options.ended`.
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
    public readonly store: 'file' | 'redis' | 'database',
    protected options: SessionDriverOptions
  ) {}

  /**
   * The stored form of the record, or null.
   */
  protected abstract fetch(sessionId: string): Promise<string | null>

  /**
   * Replaces the record by `update.next(what is stored now)`, atomically
   * with respect to other writers, in this process or another. `known` is
   * the stored form this process saw last, a hint the driver may use.
   */
  protected abstract update(
    sessionId: string,
    update: RecordUpdate,
    known: string | null | undefined
  ): Promise<void>

  public abstract check(): Promise<void>
  public abstract prune(now?: number): Promise<PruneResult | null>
  public abstract describe(sessionId: string): Promise<StoredRecord>

  public async load(sessionId: string): Promise<LoadedSession | null> {
    const raw = await this.guard('read', () => this.fetch(sessionId))
    const record = unpackRecord(sessionId, raw)
    return record && { ...record, raw: raw! }
  }

  public async commit(commit: SessionCommit): Promise<CommitResult> {
    const outcome = commit.previousId
      ? await this.moveSession(commit, commit.previousId)
      : await this.writeChange(commit)
    if (outcome.ended && commit.change.writesValues) {
      throw this.options.ended(this.store)
    }
    return outcome
  }

  /**
   * Applies the change to the session as stored now, unless its id ended
   * meanwhile: then the end marker stays as it is.
   */
  private async writeChange({ sessionId, loaded, change }: SessionCommit) {
    const outcome: Outcome = { exists: false, ended: false }
    const expiresAt = Date.now() + this.options.ageMs
    const update = new RecordUpdate((stored) => {
      outcome.ended = isEnded(sessionId, stored)
      if (outcome.ended) {
        outcome.exists = false
        return stored
      }
      const values = change.applyTo(unpackRecord(sessionId, stored)?.values ?? null)
      outcome.exists = values !== null
      return values && packRecord(sessionId, values, expiresAt)
    })
    await this.guard('commit', () => this.inTurn(sessionId, loaded, update), update)
    return outcome
  }

  /**
   * The session moves to a new id that no other request knows yet. The old
   * record is replaced by its end marker in one atomic step, which also
   * reads its values as stored at that moment; the new record is made from
   * them. A commit racing this one lands either before (and moves with the
   * session) or after (and finds the marker).
   */
  private async moveSession(commit: SessionCommit, previousId: string) {
    const outcome: Outcome = { exists: false, ended: false }
    const expiresAt = Date.now() + this.options.ageMs
    let values: Record<string, any> | null = null
    const end = new RecordUpdate((stored) => {
      outcome.ended = isEnded(previousId, stored)
      values = unpackRecord(previousId, stored)?.values ?? null
      return outcome.ended ? stored : packEnded(previousId, expiresAt)
    })
    await this.guard(
      'commit',
      async () => {
        await this.update(previousId, end, undefined)
        const moved = outcome.ended ? null : commit.change.applyTo(values)
        if (moved) {
          const record = packRecord(commit.sessionId, moved, expiresAt)
          await this.update(commit.sessionId, new RecordUpdate(() => record), null)
          outcome.exists = true
        }
      },
      end
    )
    return outcome
  }

  public async takeFlash(loaded: LoadedSession, sessionId: string) {
    const taken: TakenFlash = { flash: null, exists: false }
    const update = new RecordUpdate((stored) => {
      const record = unpackRecord(sessionId, stored)
      if (!record) {
        return stored
      }
      const { [FLASH_KEY]: flash, ...values } = record.values
      taken.flash = isPlainObject(flash) ? flash : null
      taken.exists = Object.keys(values).length > 0
      return taken.exists ? packRecord(sessionId, values, record.expiresAt) : null
    })
    await this.guard('commit', () => this.inTurn(sessionId, loaded, update), update)
    return taken
  }

  /**
   * Runs the updates of one session in this process one after the other,
   * each starting from what the one before it stored.
   */
  private inTurn(sessionId: string, loaded: LoadedSession | null, update: RecordUpdate) {
    const previous = this.queues.get(sessionId) || Promise.resolve()
    const run = previous.then(() => this.updateInTurn(sessionId, loaded, update))
    const tail = run.catch(() => {})
    this.queues.set(sessionId, tail)
    tail.then(() => this.leaveQueue(sessionId, tail))
    return run
  }

  private async updateInTurn(
    sessionId: string,
    loaded: LoadedSession | null,
    update: RecordUpdate
  ) {
    const known = this.written.has(sessionId) ? this.written.get(sessionId) : loaded?.raw
    await this.update(sessionId, update, known)
    this.written.set(sessionId, update.written)
  }

  private leaveQueue(sessionId: string, tail: Promise<unknown>) {
    if (this.queues.get(sessionId) === tail) {
      this.queues.delete(sessionId)
      this.written.delete(sessionId)
    }
  }

  /**
   * Runs one store operation: a failure becomes `options.unavailable`, and
   * `onStoreOperation`, when given, hears how long it took.
   */
  protected async guard<T>(
    kind: 'read' | 'commit',
    operation: () => Promise<T>,
    update?: RecordUpdate
  ): Promise<T> {
    const report = this.options.onStoreOperation
    const started = report ? performance.now() : 0
    let error = false
    try {
      return await operation()
    } catch (cause) {
      error = true
      throw this.options.unavailable(this.store, cause)
    } finally {
      if (report) {
        const ms = performance.now() - started
        const { retries, lockWaitMs } = update || {}
        report({ driver: this.store, kind, ms, retries, lockWaitMs, error })
      }
    }
  }
}
