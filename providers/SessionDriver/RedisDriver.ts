import type {
  RedisClusterConnectionContract,
  RedisConnectionContract,
} from '@ioc:Adonis/Addons/Redis'
import { batchWrites } from './BatchedWrites'
import { isEnded } from './Change'
import { StoreDriver } from './StoreDriver'
import type { RecordUpdate } from './StoreDriver'
import type { SessionDriverOptions, StoredRecord } from './types'

type Connection = RedisConnectionContract | RedisClusterConnectionContract

/**
 * Sets (or, given an empty value, deletes) the key only when what it holds
 * is still what the commit started from (the empty string for no key): a
 * compare-and-set in one step on the server. One key per call, so it runs on
 * a Redis Cluster too. The script compares the values themselves: a record
 * is a few hundred bytes, and hashing it on both sides cost more than
 * sending it (a language switch: 6% of its CPU).
 */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then
  return 0
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1
`

/**
 * Prepended to session ids to make Redis keys, as connect-redis does: each
 * session lives under `session:<id>`.
 */
export const REDIS_KEY_PREFIX = 'session:'

/**
 * Commits racing other processes for the same session retry this often
 * before the request gets the 503 page.
 */
const MAX_ATTEMPTS = 50

export type RedisDriverOptions = SessionDriverOptions & {
  connection: () => Connection
  /**
   * With `replicas` > 0, each write waits (Redis WAIT, at most `timeoutMs`)
   * until that many replicas hold it, and counts only if `minReplicas` do.
   */
  wait?: { replicas: number; minReplicas: number; timeoutMs: number }
}

/**
 * Keeps each session in Redis under `session:<id>`, with a TTL of the session
 * age, like the stock driver. A commit reads the record, applies the
 * request's change and writes it back only if nobody wrote it meanwhile (a
 * compare-and-set script); if somebody did, it starts again from what is
 * stored now. Parallel requests of one visitor keep each other's changes.
 *
 * A Redis failure becomes `options.unavailable` (the 503 page) at once:
 * config/redis.ts makes ioredis fail a command while Redis is down instead of
 * queueing it. With `wait`, a write counts only once enough replicas hold it
 * (see `replicated`).
 */
export class RedisDriver extends StoreDriver {
  private scripts = new WeakSet<object>()

  constructor(private redis: RedisDriverOptions) {
    super('redis', redis)
  }

  public keyOf(sessionId: string) {
    return `${REDIS_KEY_PREFIX}${sessionId}`
  }

  protected fetch(sessionId: string) {
    return this.connection().get(this.keyOf(sessionId))
  }

  protected async update(sessionId: string, update: RecordUpdate, known?: string | null) {
    const connection = this.connection()
    const key = this.keyOf(sessionId)
    let stored = known === undefined ? await connection.get(key) : known
    for (let attempt = 1; ; attempt++) {
      const next = update.next(stored)
      const written = await this.compareAndSet(connection, key, stored, next)
      if (written) {
        update.retries = attempt - 1
        return
      }
      if (attempt === MAX_ATTEMPTS) {
        throw new Error(`gave up after ${MAX_ATTEMPTS} concurrent writes to one session`)
      }
      stored = await connection.get(key)
    }
  }

  /**
   * Redis answers PING. While ioredis reconnects it says only "Stream isn't
   * writeable"; the connection's last error, or the next one when the
   * reconnection has not failed yet, says why (refused, timed out, auth...).
   */
  public async check() {
    const connection = this.connection()
    try {
      await connection.ping()
    } catch (error) {
      throw (connection as any).lastError || (await nextError(connection, error))
    }
  }

  /**
   * Redis expires each key with its TTL: nothing to prune.
   */
  public async prune() {
    return null
  }

  public async describe(sessionId: string): Promise<StoredRecord> {
    const key = this.keyOf(sessionId)
    const io: any = this.connection().ioConnection
    const results: [Error | null, any][] = await io.pipeline().pttl(key).get(key).exec()
    const [[, ttl], [, raw]] = results
    const ended = isEnded(sessionId, raw)
    const stored = typeof raw === 'string' && ttl > 0 && !ended
    return {
      where: key,
      stored,
      ended,
      bytes: stored ? Buffer.byteLength(raw) : 0,
      expiresAt: stored ? new Date(Date.now() + ttl) : undefined,
    }
  }

  private async compareAndSet(
    connection: Connection,
    key: string,
    stored: string | null,
    next: string | null
  ) {
    const io: any = connection.ioConnection
    if (!this.scripts.has(io)) {
      io.defineCommand('sessionCompareAndSet', { numberOfKeys: 1, lua: COMPARE_AND_SET })
      this.scripts.add(io)
    }
    const args = [key, stored ?? '', next ?? '', this.redis.ageMs]
    if (!this.redis.wait?.replicas) {
      // No WAIT to send behind it: one command, without building a pipeline
      // (an ioredis pipeline copies every script onto itself, per write).
      return (await io.sessionCompareAndSet(...args)) === 1
    }
    return (await this.replicated(io.pipeline().sessionCompareAndSet(...args))) === 1
  }

  /**
   * Runs a one-key change and, with `wait`, a WAIT right behind it on the
   * same connection: WAIT counts the replicas that hold this connection's
   * writes. In a pipeline, ioredis sends both to the node that owns the key,
   * so this holds for a Redis Cluster too, where a WAIT of its own would go
   * to any node. Resolves to the change's result.
   *
   * It waits for every replica (`replicas`), not just the first: Sentinel
   * promotes the replica that had the most data when it last asked (up to
   * 10 s before), which may be one that had not acknowledged yet. With a
   * replica down, a write waits the whole timeout and counts if
   * `minReplicas` hold it. Fewer: the change may not survive a failover, so
   * the request fails (503) instead of promising it.
   */
  private async replicated(pipeline: any) {
    const wait = this.redis.wait
    if (wait && wait.replicas > 0) {
      pipeline.wait(wait.replicas, wait.timeoutMs)
    }
    const results: [Error | null, unknown][] = (await pipeline.exec()) || []
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
    return results[0][1]
  }

  private connection() {
    const connection = this.redis.connection()
    batchWrites(connection.ioConnection as any)
    return connection
  }
}

/**
 * The connection's next error, or `fallback` when none comes within 300 ms.
 */
function nextError(connection: Connection, fallback: Error) {
  return new Promise<Error>((resolve) => {
    const done = (reason: Error) => {
      clearTimeout(timer)
      connection.off('error', done)
      resolve(reason)
    }
    const timer = setTimeout(done, 300, fallback)
    connection.once('error', done)
  })
}
