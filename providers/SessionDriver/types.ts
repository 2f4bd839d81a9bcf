import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { SessionChange } from './Change'
import type { SessionRecord } from './Record'

/**
 * A session as a driver read it. `raw` is the stored form, when the driver
 * can use it to tell later whether the record changed meanwhile.
 */
export type LoadedSession = SessionRecord & { raw?: string }

/**
 * One commit: `change` applied to the session `sessionId`. After
 * `session.regenerate()`, `previousId` names the record the session moves
 * from; `loaded` is what the request read, under `previousId` if set.
 */
export type SessionCommit = {
  sessionId: string
  previousId?: string
  loaded: LoadedSession | null
  change: SessionChange
  ctx: HttpContextContract
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
  readonly store: string

  load(sessionId: string, ctx: HttpContextContract): Promise<LoadedSession | null>

  /**
   * Applies the change; resolves to whether a record of the session exists
   * afterwards (an emptied session leaves none behind).
   */
  commit(commit: SessionCommit): Promise<boolean>

  /**
   * Removes the flash messages from the stored session in one atomic step
   * and resolves to the ones removed (null: the store had none left), so that
   * of two parallel requests only one gets a message. Drivers that cannot do
   * this (the browser holds the cookie session) leave it out.
   */
  takeFlash?(loaded: LoadedSession, sessionId: string): Promise<TakenFlash>

  destroy(sessionId: string, ctx: HttpContextContract): Promise<void>
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
   * The flash messages without the visitor's old input and with a note
   * saying so, for a session that cannot keep that input (it is too large
   * for a cookie, or cannot be serialized at all).
   */
  shedInput: (flash: Record<string, unknown>, ctx: HttpContextContract) => Record<string, unknown>
}
