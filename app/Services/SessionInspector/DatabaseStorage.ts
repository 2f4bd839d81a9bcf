import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import SessionStore from 'App/Services/SessionStore'
import { SESSIONS_TABLE } from '../../../providers/SessionDriver'
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
      table: SESSIONS_TABLE,
      id: Mask.mask(ctx.session.sessionId),
      answered: true,
      stored: false,
      bytes: 0,
      expiresAt: undefined as Date | undefined,
      refreshMinutes: refreshMinutes(),
    }
    try {
      const { stored, bytes, expiresAt } = (await SessionStore.describe(ctx.session.sessionId))!
      return { ...facts, stored, bytes, expiresAt }
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
      return { oldRecord, oldRecordGone: !(await SessionStore.describe(id))!.stored }
    } catch {
      return { oldRecord, oldRecordGone: null }
    }
  }
}
