import { isPlainObject } from './Change'

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
