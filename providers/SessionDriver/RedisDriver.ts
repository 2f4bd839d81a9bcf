import type { SessionConfig } from '@ioc:Adonis/Addons/Session'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { RedisManagerContract } from '@ioc:Adonis/Addons/Redis'
import type { ChainableCommander } from 'ioredis'
import { StoreDriver, packOrShed, packRecord, sessionAgeMs } from './StoreDriver'

declare module '@ioc:Adonis/Addons/Session' {
  interface SessionConfig {
    /**
     * Replicas each session write waits for (Redis WAIT), at most timeoutMs,
     * and how many of them must hold it; 0 writes without waiting.
     */
    redisWait?: { replicas: number; minReplicas: number; timeoutMs: number }
  }
}

/**
 * Keeps each session in Redis under its id, with a TTL of the session age,
 * like the stock redis driver. What it adds:
 *
 * - a Redis failure is a SessionStoreUnavailableException (the 503 page),
 *   not a 500; config/redis.ts makes ioredis fail at once while Redis is
 *   down instead of queueing the command;
 * - a value that is not a session record reads as an empty session;
 * - the record carries an expiry as well as the TTL;
 * - old input that cannot be serialized is left out with a note (packOrShed);
 * - with `redisWait`, a write or delete counts only once enough replicas hold
 *   it (see `replicated`).
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
    return this.guard(
      () =>
        this.replicated(
          this.connection()
            .pipeline()
            .setex(sessionId, Math.round(this.ageMs / 1000), record)
        ),
      undefined
    )
  }

  public destroy(sessionId: string) {
    return this.guard(() => this.replicated(this.connection().pipeline().del(sessionId)), undefined)
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

  /**
   * Runs a one-key change and, with `redisWait`, a WAIT right behind it on the
   * same connection: WAIT counts the replicas that hold this connection's
   * writes. In a pipeline, ioredis sends both to the node that owns the key,
   * so this holds for a Redis Cluster too, where a WAIT of its own would go to
   * any node.
   *
   * It waits for every replica (`replicas`), not just the first: Sentinel
   * promotes the replica that had the most data when it last asked (up to
   * 10 s before), which may be one that had not acknowledged yet. With a
   * replica down, a write waits the whole timeout and counts if `minReplicas`
   * hold it. Fewer: the change may not survive a failover, so the request
   * fails (503) instead of promising it.
   */
  private async replicated(pipeline: ChainableCommander) {
    const wait = this.config.redisWait
    if (wait && wait.replicas > 0) {
      pipeline.wait(wait.replicas, wait.timeoutMs)
    }
    const results = (await pipeline.exec()) || []
    for (const [error] of results) {
      if (error) throw error
    }
    if (wait && wait.replicas > 0) {
      const acknowledged = results[results.length - 1][1] as number
      if (acknowledged < wait.minReplicas) {
        throw new Error(
          `${acknowledged} Redis replicas acknowledged the write within ${wait.timeoutMs} ms, ${wait.minReplicas} needed`
        )
      }
    }
  }

  private connection() {
    return this.redis.connection(this.config.redisConnection as any)
  }
}
