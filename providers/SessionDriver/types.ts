import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { SessionChange, SessionRecord } from './Change'
import type { IdCookieOptions } from './SessionId'

/**
 * A session as a driver read it. `raw` is the stored form, when the driver
 * can use it to tell later whether the record changed meanwhile.
 */
export type LoadedSession = SessionRecord & { raw?: string }

/**
 * One commit: `change` applied to the session `sessionId`. After
 * `session.regenerate()` or `session.clear()`, `previousId` names the record
 * the session moves from, which ends; `loaded` is what the request read,
 * under `previousId` if set.
 */
export type SessionCommit = {
  sessionId: string
  previousId?: string
  loaded: LoadedSession | null
  change: SessionChange
  ctx: HttpContextContract
}

/**
 * What a commit left in the store: `exists`, whether a record of the session
 * is there afterwards (an emptied session leaves none behind); `ended`, the
 * id had ended and nothing was written (a commit that only refreshed the
 * expiry; any other throws).
 */
export type CommitResult = { exists: boolean; ended: boolean }

/**
 * What `session:prune` and the sweep did: records removed and kept.
 */
export type PruneResult = { removed: number; kept: number }

/**
 * One session's record as the store holds it, for the session inspector:
 * `where` names it (a path, a key, a table), `ended` says it is the marker a
 * regenerated or cleared id leaves.
 */
export type StoredRecord = {
  where: string
  /**
   * A live session's record is there (not an end marker).
   */
  stored: boolean
  ended: boolean
  bytes: number
  expiresAt?: Date
  writtenAt?: Date
}

/**
 * What every session driver of this package does. Drivers are made once and
 * shared by all requests; what belongs to one request comes as an argument.
 */
export interface SessionDriver {
  /**
   * The kind of store, as SESSION_DRIVER names it: cookie, file, redis or
   * database.
   */
  readonly store: 'cookie' | 'file' | 'redis' | 'database'

  load(sessionId: string, ctx: HttpContextContract): Promise<LoadedSession | null>

  /**
   * Applies the change. A commit to an id that `regenerate()` or `clear()`
   * ended throws `options.ended` (unless it only refreshed the expiry): the
   * request's change is refused, not written to a session nobody holds.
   */
  commit(commit: SessionCommit): Promise<CommitResult>

  /**
   * Removes the flash messages from the stored session in one atomic step
   * and resolves to the ones removed (null: the store had none left), so that
   * of two parallel requests only one gets a message. Drivers that cannot do
   * this (the browser holds the cookie session) leave it out.
   */
  takeFlash?(loaded: LoadedSession, sessionId: string): Promise<TakenFlash>

  /**
   * Throws when the store cannot take a new session now (/health).
   */
  check(): Promise<void>

  /**
   * Deletes what the store keeps past its time: expired sessions, and
   * leftovers of writes that never finished. Null: the store expires its
   * records itself (Redis) or keeps none (the cookie driver).
   */
  prune(now?: number): Promise<PruneResult | null>

  /**
   * One session's record as stored, for the inspector; null when the driver
   * keeps nothing on the server.
   */
  describe(sessionId: string): Promise<StoredRecord | null>
}

export type TakenFlash = {
  flash: Record<string, unknown> | null
  /**
   * Whether a record is left: a session that held nothing but flash messages
   * is gone once they are taken.
   */
  exists: boolean
}

/**
 * One read or commit of a store, as `onStoreOperation` reports it: how long
 * it took, the compare-and-set retries (redis) or the time spent waiting for
 * the session's lock (file), and whether it failed.
 */
export type StoreOperation = {
  driver: string
  kind: 'read' | 'commit'
  ms: number
  retries?: number
  lockWaitMs?: number
  error?: boolean
}

/**
 * What the app gives the drivers: they import nothing of the app.
 */
export type SessionDriverOptions = {
  /**
   * How long a session lives after its last write, in milliseconds.
   */
  ageMs: number

  /**
   * The error a store failure becomes (the app answers it with its 503 page).
   */
  unavailable: (store: string, cause: unknown) => Error

  /**
   * The error a commit to an ended id becomes (the app answers it with a page
   * that says nothing was saved).
   */
  ended: (store: string) => Error

  /**
   * The flash messages without the visitor's old input and with a note
   * saying so, for a session that cannot keep that input (it is too large
   * for a cookie, or cannot be serialized at all).
   */
  shedInput: (flash: Record<string, unknown>, ctx: HttpContextContract) => Record<string, unknown>

  /**
   * Called after each store operation, for metrics. Absent: nothing is
   * measured.
   */
  onStoreOperation?: (operation: StoreOperation) => void
}

/**
 * What `ctx.session` is made with (providers/SessionProvider.ts).
 */
export type SessionOptions = Pick<SessionDriverOptions, 'ageMs' | 'shedInput'> &
  IdCookieOptions & {
    driver: SessionDriver
    /**
     * Requests that neither read nor write a session (a health check must not
     * leave a session behind, and must answer while the store is down).
     */
    skip?: (ctx: HttpContextContract) => boolean
  }
