import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import SessionStore from 'App/Services/SessionStore'
import Mask from './Mask'
import { refreshMinutes, type PendingRegeneration } from './Storage'

/**
 * The database driver keeps one row per session in the `sessions` table:
 * the record, and when it expires.
 */
export default class DatabaseStorage {
  public static async inspect(ctx: HttpContextContract) {
    const facts = {
      driver: 'database' as const,
      table: 'sessions',
      id: Mask.mask(ctx.session.sessionId),
      answered: true,
      stored: false,
      bytes: 0,
      expiresAt: undefined as Date | undefined,
      refreshMinutes: refreshMinutes(),
    }
    try {
      const row = await SessionStore.databaseRecord(ctx.session.sessionId)
      return row ? { ...facts, stored: true, ...row } : facts
    } catch {
      // The database answered the session read a moment ago; if it fails
      // now, the page still shows everything else.
      return { ...facts, answered: false }
    }
  }

  public static async oldRecord(_: HttpContextContract, { id }: PendingRegeneration) {
    if (typeof id !== 'string') {
      return null
    }
    const oldRecord = Mask.mask(id)
    try {
      return { oldRecord, oldRecordGone: (await SessionStore.databaseRecord(id)) === null }
    } catch {
      return { oldRecord, oldRecordGone: null }
    }
  }
}
