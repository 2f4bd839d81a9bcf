import { MessageBuilder, string } from '@ioc:Adonis/Core/Helpers'
import type { SessionConfig, SessionDriverContract } from '@ioc:Adonis/Addons/Session'
import SessionStoreUnavailableException from 'App/Exceptions/SessionStoreUnavailableException'

/**
 * The session age in milliseconds. config/session.ts gives it as a string:
 * the stock drivers read a bare number as seconds in one place and as
 * milliseconds in another.
 */
export function sessionAgeMs(config: SessionConfig) {
  return typeof config.age === 'string' ? string.toMs(config.age) : config.age * 1000
}

/**
 * The stored form of a session, as the stock drivers write it
 * (`{ message, purpose, expiryDate }`), with the expiry filled in, so that a
 * record replayed after the session age reads as an empty session.
 */
export function packRecord(sessionId: string, values: Record<string, any>, ageMs: number) {
  return new MessageBuilder().build(values, ageMs, sessionId)
}

/**
 * Flash keys that are messages rather than the visitor's old input.
 */
export const MESSAGE_KEYS = ['errors', 'success', 'error']

/**
 * The stored form of the session, or, when the visitor's old input cannot be
 * serialized (JSON nested thousands of levels deep overflows the stack), of
 * the session without that input and with `note()` saying so. The errors
 * stay; only if they cannot be serialized either, the note stays alone.
 */
export function packOrShed(
  values: Record<string, any>,
  note: () => string,
  pack: (values: Record<string, any>) => string
) {
  try {
    return pack(values)
  } catch {
    const flash = values.__flash__ || {}
    const errorsAndNote = { errors: flash.errors, error: note() }
    try {
      return pack({ ...values, __flash__: errorsAndNote })
    } catch {
      return pack({ ...values, __flash__: { error: note() } })
    }
  }
}

/**
 * The values of a stored record, or null when the record is missing,
 * expired, meant for another session id, half-written or not JSON at all.
 */
export function unpackRecord(sessionId: string, contents: string | null | undefined) {
  if (!contents) {
    return null
  }
  try {
    const values = new MessageBuilder().verify(contents, sessionId)
    return values && typeof values === 'object' && !Array.isArray(values) ? values : null
  } catch {
    return null
  }
}

/**
 * A driver whose store lives outside the process (Redis, the disk). A store
 * failure becomes a SessionStoreUnavailableException, which the exception
 * handler answers with the 503 page at once. After one failure the driver
 * leaves the store alone for the rest of the request, so the session's after
 * hook does not wait on it a second time.
 */
export abstract class StoreDriver implements SessionDriverContract {
  private failed = false

  /**
   * The record this request read: its values serialized as read (the session
   * mutates the object it gets) and its expiry.
   */
  private received?: { json: string; expiresAt: number }

  constructor(private storeName: string) {}

  public abstract read(sessionId: string): Promise<Record<string, any> | null>
  public abstract write(sessionId: string, values: Record<string, any>): Promise<void>
  public abstract destroy(sessionId: string): Promise<void>
  public abstract touch(sessionId: string): Promise<void>

  /**
   * unpackRecord, remembering what the store held for `unchanged()`.
   */
  protected unpack(sessionId: string, contents: string | null | undefined) {
    const values = unpackRecord(sessionId, contents)
    if (values) {
      const expiresAt = Date.parse(JSON.parse(contents!).expiryDate)
      this.received = Number.isNaN(expiresAt)
        ? undefined
        : { json: JSON.stringify(values), expiresAt }
    }
    return values
  }

  /**
   * The store already holds these values, written within the last tenth of
   * the session age: writing them again would only push the expiry back by a
   * few minutes (and could put back values that a parallel request has just
   * changed). An idle session ends between 0.9 and 1 session age after its
   * last use.
   */
  protected unchanged(values: Record<string, any>, ageMs: number) {
    if (!this.received || this.received.expiresAt - Date.now() < ageMs * 0.9) {
      return false
    }
    try {
      return JSON.stringify(values) === this.received.json
    } catch {
      return false
    }
  }

  protected async guard<T>(operation: () => Promise<T>, skipped: T): Promise<T> {
    if (this.failed) {
      return skipped
    }
    try {
      return await operation()
    } catch (error) {
      this.failed = true
      throw new SessionStoreUnavailableException(this.storeName, error)
    }
  }
}
