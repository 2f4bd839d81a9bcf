import { relative } from 'node:path'
import Application from '@ioc:Adonis/Core/Application'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import SessionStore from 'App/Services/SessionStore'
import { maskedWhere, refreshMinutes, type PendingRegeneration } from './Storage'

/**
 * The file driver keeps one file per session, tmp/sessions/<id>.txt.
 */
export default class FileStorage {
  /**
   * The file's size and when it was last written. A request that changes
   * nothing leaves a recent file alone (refreshMinutes), so that is the last
   * change, or the last refresh of the expiry.
   */
  public static async inspect(ctx: HttpContextContract) {
    const sessionId = ctx.session.sessionId
    const record = (await SessionStore.describe(sessionId))!
    return {
      driver: 'file' as const,
      path: relative(Application.appRoot, maskedWhere(record.where, sessionId)),
      stored: record.stored,
      bytes: record.bytes,
      writtenAt: record.writtenAt,
      refreshMinutes: refreshMinutes(),
    }
  }

  public static async oldRecord(_: HttpContextContract, { id }: PendingRegeneration) {
    // Without the old id (the driver changed since) there is nothing to check.
    if (typeof id !== 'string') {
      return null
    }
    const record = (await SessionStore.describe(id))!
    const oldRecord = relative(Application.appRoot, maskedWhere(record.where, id))
    return { oldRecord, oldRecordGone: !record.stored }
  }
}
