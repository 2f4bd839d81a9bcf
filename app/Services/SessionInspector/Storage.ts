import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import SessionStore from 'App/Services/SessionStore'
import Mask from './Mask'

/**
 * What `session.regenerate()` leaves for the next request to check. `id` (the
 * whole old id) is only kept by the file, redis and database drivers, whose
 * session never leaves the server; the cookie driver needs no more than the
 * prefix, since the old record is one of the visitor's cookies.
 */
export type PendingRegeneration = { from: string; to: string; id?: string }

/**
 * The record a regeneration left behind, as the page may show it (path, key
 * or cookie name, masked), and whether it is gone: null when the store could
 * not be asked.
 */
export type OldRecord = { oldRecord: string; oldRecordGone: boolean | null }

/**
 * Where one driver keeps a session, as the inspector shows it: one probe per
 * driver (CookieStorage, FileStorage, RedisStorage, DatabaseStorage), each
 * asking the driver (SessionStore.describe) and masking what it answers.
 */
export interface StorageProbe<Facts> {
  /** This session in the store, as it stood before this request writes it back. */
  inspect(ctx: HttpContextContract): Promise<Facts>
  /** Null when there is nothing to check. */
  oldRecord(ctx: HttpContextContract, pending: PendingRegeneration): Promise<OldRecord | null>
}

/**
 * The file, redis and database drivers rewrite a session that did not change
 * only when it was written more than a tenth of the session age ago: the
 * minutes that makes.
 */
export function refreshMinutes() {
  return Math.round(SessionStore.ageMs / 10 / 60_000)
}

/**
 * Where a record is stored (a path, a key), with the session id in it cut to
 * its first characters.
 */
export function maskedWhere(where: string, sessionId: string) {
  return where.replace(sessionId, Mask.mask(sessionId))
}
