import type { SessionConfig } from '@ioc:Adonis/Addons/Session'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { RedisManagerContract } from '@ioc:Adonis/Addons/Redis'
import { StoreDriver, packOrShed, packRecord, sessionAgeMs } from './StoreDriver'

/**
 * Keeps each session in Redis under its id, with a TTL of the session age,
 * like the stock redis driver. What it adds:
 *
 * - a Redis failure is a SessionStoreUnavailableException (the 503 page),
 *   not a 500; config/redis.ts makes ioredis fail at once while Redis is
 *   down instead of queueing the command;
 * - a value that is not a session record reads as an empty session;
 * - the record carries an expiry as well as the TTL;
 * - old input that cannot be serialized is left out with a note (packOrShed).
 *
 * When two requests write the same session, the last SETEX wins.
 */
export class RedisDriver extends StoreDriver {
  private ageMs: number

  constructor(
    private config: SessionConfig,
    private redis: RedisManagerContract,
    private ctx: HttpContextContract
  ) {
    super('redis')
    this.ageMs = sessionAgeMs(config)
  }

  public read(sessionId: string) {
    return this.guard(
      async () => this.unpack(sessionId, await this.connection().get(sessionId)),
      null
    )
  }

  public write(sessionId: string, values: Record<string, any>) {
    if (this.unchanged(values, this.ageMs)) {
      return Promise.resolve()
    }
    const record = packOrShed(
      values,
      () => this.ctx.i18n.formatMessage('messages.errors.inputTooLong'),
      (kept) => packRecord(sessionId, kept, this.ageMs)
    )
    return this.guard(async () => {
      await this.connection().setex(sessionId, Math.round(this.ageMs / 1000), record)
    }, undefined)
  }

  public destroy(sessionId: string) {
    return this.guard(async () => {
      await this.connection().del(sessionId)
    }, undefined)
  }

  /**
   * Rewrites the session, so the record's expiry starts again with the TTL.
   */
  public async touch(sessionId: string) {
    const values = await this.read(sessionId)
    if (values) {
      await this.write(sessionId, values)
    }
  }

  private connection() {
    return this.redis.connection(this.config.redisConnection as any)
  }
}
