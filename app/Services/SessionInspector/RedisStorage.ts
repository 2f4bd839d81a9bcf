import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import SessionStore from 'App/Services/SessionStore'
import { REDIS_KEY_PREFIX } from '../../../providers/SessionDriver'
import Mask from './Mask'
import { refreshMinutes, type PendingRegeneration } from './Storage'

/**
 * The redis driver keeps one key per session, `session:<id>`, with a TTL.
 */
export default class RedisStorage {
  public static async inspect(ctx: HttpContextContract) {
    const sessionId = ctx.session.sessionId
    const facts = {
      driver: 'redis' as const,
      key: `${REDIS_KEY_PREFIX}${Mask.mask(sessionId)}`,
      answered: true,
      stored: false,
      bytes: 0,
      ttl: -2,
      age: Math.round(SessionStore.ageMs / 1000),
      refreshMinutes: refreshMinutes(),
    }
    try {
      const record = (await SessionStore.describe(sessionId))!
      const ttl = record.expiresAt ? Math.round((+record.expiresAt - Date.now()) / 1000) : -2
      return { ...facts, stored: record.stored, bytes: record.bytes, ttl }
    } catch {
      // Redis answered the session read a moment ago; if it fails now, the
      // page still shows everything else.
      return { ...facts, answered: false }
    }
  }

  public static async oldRecord(_: HttpContextContract, { id }: PendingRegeneration) {
    if (typeof id !== 'string') {
      return null
    }
    const oldRecord = `${REDIS_KEY_PREFIX}${Mask.mask(id)}`
    try {
      return { oldRecord, oldRecordGone: !(await SessionStore.describe(id))!.stored }
    } catch {
      // Redis failed between the session read and this check: say nothing
      // about the old key rather than guess.
      return { oldRecord, oldRecordGone: null }
    }
  }
}
