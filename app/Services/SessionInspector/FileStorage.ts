import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import Application from '@ioc:Adonis/Core/Application'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import SessionStore from 'App/Services/SessionStore'
import Mask from './Mask'
import { refreshMinutes, type PendingRegeneration } from './Storage'

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
    const facts = {
      driver: 'file' as const,
      path: maskedPath(sessionId),
      stored: false,
      bytes: 0,
      writtenAt: undefined as Date | undefined,
      refreshMinutes: refreshMinutes(),
    }
    const stats = await stat(path(sessionId)).catch(() => null)
    return stats?.size
      ? { ...facts, stored: true, bytes: stats.size, writtenAt: stats.mtime }
      : facts
  }

  public static async oldRecord(_: HttpContextContract, { id }: PendingRegeneration) {
    // Without the old id (the driver changed since) there is nothing to check.
    if (typeof id !== 'string') {
      return null
    }
    return { oldRecord: maskedPath(id), oldRecordGone: !existsSync(path(id)) }
  }
}

function path(sessionId: string) {
  return join(SessionStore.config.file!.location, `${sessionId}.txt`)
}

function maskedPath(sessionId: string) {
  const directory = relative(Application.appRoot, SessionStore.config.file!.location)
  return `${directory}/${Mask.mask(sessionId)}.txt`
}
