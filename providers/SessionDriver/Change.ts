/*
 * What one request did to its session (SessionChange), and the record a
 * store keeps a session in (packRecord, unpackRecord): what every driver's
 * commit applies, and to what.
 */

import { isDeepStrictEqual } from 'node:util'
import { lodash } from '@poppinss/utils'

/**
 * The session key under which flash messages wait for the next request.
 */
export const FLASH_KEY = '__flash__'

type Operation = { path: string; value: unknown } | { path: string; forget: true }

/**
 * What one request did to its session, recorded as it happened, so that the
 * commit can apply exactly that to the session as the store holds it now,
 * instead of writing back the copy the request read when it started: a
 * parallel request's changes to other keys are kept.
 */
export class SessionChange {
  /**
   * `clear()` was called: what the store holds is dropped, and only the
   * operations after the clear are applied.
   */
  public cleared = false

  /**
   * `put`, `forget`, `increment`... in the order they happened, each on a
   * lodash path. Flash messages are not among them.
   */
  public operations: Operation[] = []

  /**
   * The flash messages this request read, and so consumed.
   */
  public flashRead: Record<string, unknown> = {}

  /**
   * The flash messages this request leaves for the next one.
   */
  public flashed: Record<string, unknown> = {}

  /**
   * Nothing changed, but the record's expiry has to start again.
   */
  public refresh = false

  public put(path: string, value: unknown) {
    this.operations.push({ path, value })
  }

  public forget(path: string) {
    this.operations.push({ path, forget: true })
  }

  public clear() {
    this.cleared = true
    this.operations = []
  }

  /**
   * Whether the commit has anything to write.
   */
  public get isEmpty() {
    return (
      !this.cleared &&
      !this.refresh &&
      this.operations.length === 0 &&
      isEmptyObject(this.flashRead) &&
      isEmptyObject(this.flashed)
    )
  }

  /**
   * Whether the change does more than start the record's expiry again.
   */
  public get writesValues() {
    return (
      this.cleared ||
      this.operations.length > 0 ||
      !isEmptyObject(this.flashRead) ||
      !isEmptyObject(this.flashed)
    )
  }

  /**
   * The top-level keys this change writes. A change that clears touches every
   * key, which `null` stands for.
   */
  public touchedKeys(): Set<string> | null {
    if (this.cleared || this.refresh) {
      return null
    }
    const keys = new Set(this.operations.map(({ path }) => String(lodash.toPath(path)[0])))
    if (!isEmptyObject(this.flashRead) || !isEmptyObject(this.flashed)) {
      keys.add(FLASH_KEY)
    }
    return keys
  }

  /**
   * The session after this change, given what the store holds now (`stored`,
   * which is modified): keys this request did not touch keep the stored
   * value, whoever wrote it. Of the flash messages, those this request read
   * are removed unless another request has flashed a new message under the
   * same key meanwhile; this request's own messages are added, the later
   * writer winning a key both flashed. Returns null for an empty session.
   */
  public applyTo(stored: Record<string, any> | null): Record<string, any> | null {
    const values = this.cleared || !stored ? {} : stored
    const flash: Record<string, unknown> = isPlainObject(values[FLASH_KEY]) ? values[FLASH_KEY] : {}

    for (const operation of this.operations) {
      if ('forget' in operation) {
        lodash.unset(values, operation.path)
      } else {
        lodash.set(values, operation.path, operation.value)
      }
    }

    for (const [key, value] of Object.entries(this.flashRead)) {
      if (isDeepStrictEqual(flash[key], value)) {
        delete flash[key]
      }
    }
    Object.assign(flash, this.flashed)
    if (isEmptyObject(flash)) {
      delete values[FLASH_KEY]
    } else {
      values[FLASH_KEY] = flash
    }

    return isEmptyObject(values) ? null : values
  }
}

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isEmptyObject(value: Record<string, unknown>) {
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key)) return false
  }
  return true
}

/**
 * A session as a store holds it: the values, and when the record expires
 * (milliseconds since the epoch).
 */
export type SessionRecord = {
  values: Record<string, any>
  expiresAt: number
}

/**
 * The stored form of a session, in the format of @adonisjs/session's own
 * drivers (`{ message, purpose, expiryDate }`): the record names the session
 * it belongs to and carries its expiry, so a record copied under another id
 * or replayed after the session age reads as no session. Throws when the
 * values cannot be serialized (input nested thousands of levels deep).
 */
export function packRecord(sessionId: string, values: Record<string, any>, expiresAt: number) {
  return JSON.stringify({
    message: values,
    purpose: sessionId,
    expiryDate: new Date(expiresAt).toISOString(),
  })
}

/**
 * What a regenerated or cleared id leaves in the store for the session age:
 * a record that reads as no session, and that a request still holding the
 * old id cannot write to (see StoreDriver's commit).
 */
export function packEnded(sessionId: string, expiresAt: number) {
  return JSON.stringify({ ended: true, purpose: sessionId, expiryDate: new Date(expiresAt) })
}

/**
 * Whether `contents` is the end marker of this id, still within its age.
 */
export function isEnded(sessionId: string, contents: string | null | undefined, now = Date.now()) {
  if (!contents || !contents.startsWith('{"ended":true,')) {
    return false
  }
  try {
    const { purpose, expiryDate } = JSON.parse(contents)
    return purpose === sessionId && Date.parse(expiryDate) > now
  } catch {
    return false
  }
}

/**
 * The record in `contents`, or null when it is missing, expired, meant for
 * another session, half-written or not JSON at all.
 */
export function unpackRecord(
  sessionId: string,
  contents: string | null | undefined,
  now = Date.now()
): SessionRecord | null {
  if (!contents) {
    return null
  }
  try {
    const { message, purpose, expiryDate } = JSON.parse(contents)
    const expiresAt = Date.parse(expiryDate)
    if (purpose !== sessionId || !(expiresAt > now) || !isPlainObject(message)) {
      return null
    }
    return { values: message, expiresAt }
  } catch {
    return null
  }
}
