import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import Env from '@ioc:Adonis/Core/Env'
import Config from '@ioc:Adonis/Core/Config'
import Logger from '@ioc:Adonis/Core/Logger'
import type { SessionConfig } from '@ioc:Adonis/Addons/Session'
import {
  LOCK_SUFFIX,
  REDIS_KEY_PREFIX,
  STALE_LOCK_MS,
  TEMP_SUFFIX,
  sessionAgeMs,
} from '../../providers/SessionDriver'

export type StoreHealth = { ok: boolean; error?: string }

export type PruneResult = { removed: number; kept: number }

/**
 * A temporary file this old belongs to a write that never finished (the
 * process died between write and rename).
 */
const STALE_TEMP_MS = 60_000

/**
 * What the active session driver is and whether the place it keeps sessions
 * answers. Redis is only imported for the redis driver, so the other drivers
 * never open a connection.
 */
export default class SessionStore {
  public static get config(): SessionConfig {
    return Config.get('session')
  }

  /**
   * The store as SESSION_DRIVER names it: cookie, file, redis or database.
   */
  public static get driver(): 'cookie' | 'file' | 'redis' | 'database' {
    return Env.get('SESSION_DRIVER', 'cookie')
  }

  /**
   * How long a session lives after its last request, in milliseconds.
   */
  public static get ageMs() {
    return sessionAgeMs(this.config)
  }

  /**
   * Whether the store answers within `timeoutMs` and can take a new session.
   * The answer names the failing store only; why it failed (the error's
   * category: ECONNREFUSED, ENOSPC, NOAUTH…) goes to the log, with no path
   * and no address: /health answers anyone.
   */
  public static async check(timeoutMs = 500): Promise<StoreHealth> {
    try {
      await withTimeout(this.ping(), timeoutMs)
      return { ok: true }
    } catch (error) {
      const reason = error.code || /^[A-Z]{4,}\b/.exec(error.message)?.[0] || error.message
      Logger.warn({ driver: this.driver, reason }, 'session store failed its health check')
      return { ok: false, error: `${this.describe()} is unavailable` }
    }
  }

  /**
   * Opens the Redis connection and waits (boundedly) until it is ready, so the
   * first requests do not meet a connection still in progress. A Redis that is
   * down does not stop the app: requests get the 503 page until it returns.
   */
  public static async connect(timeoutMs = 2000) {
    const connection = await this.redis()
    if (connection.status === 'ready') {
      return
    }
    const { host, port } = Config.get(`redis.connections.${this.config.redisConnection}`)
    connection.once('ready', () => Logger.info('Redis at %s:%s answers', host, port))
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs)
      connection.once('ready', done)
      function done() {
        clearTimeout(timer)
        connection.off('ready', done)
        resolve()
      }
    })
    if (connection.status !== 'ready') {
      Logger.warn(
        'Redis at %s:%s does not answer: pages that use a session answer 503 until it does; visitors without a session are served. Start one with `redis-server --port %s`, or set REDIS_HOST and REDIS_PORT in .env',
        host,
        port,
        port
      )
    }
  }

  /**
   * Deletes the sessions past their expiry: with the file driver, the files
   * older than the session age (every write gives the record a new expiry,
   * so a file's modification time is its last write), the temporary files
   * of writes that never finished and the locks of commits that never
   * finished; with the database driver, the expired rows.
   */
  public static async prune(now = Date.now()): Promise<PruneResult> {
    if (this.driver === 'database') {
      const { default: Database } = await import('@ioc:Adonis/Lucid/Database')
      const removed = await Database.from('sessions').where('expires_at', '<=', now).delete()
      const [{ kept }] = await Database.from('sessions').count('* as kept')
      return { removed: Number(removed[0] ?? removed) || 0, kept: Number(kept) }
    }
    return this.pruneFiles(now)
  }

  private static async pruneFiles(now: number): Promise<PruneResult> {
    const location = this.config.file!.location
    const result: PruneResult = { removed: 0, kept: 0 }
    let names: string[]
    try {
      names = await readdir(location)
    } catch (error) {
      if (error.code === 'ENOENT') {
        return result
      }
      throw error
    }

    for (const name of names) {
      const maxAge = name.endsWith('.txt')
        ? this.ageMs
        : name.endsWith(TEMP_SUFFIX)
          ? STALE_TEMP_MS
          : name.endsWith(LOCK_SUFFIX)
            ? STALE_LOCK_MS
            : null
      if (maxAge === null) {
        continue
      }
      const path = join(location, name)
      try {
        const { mtimeMs } = await stat(path)
        if (now - mtimeMs > maxAge) {
          await rm(path, { force: true })
          if (name.endsWith('.txt')) result.removed++
        } else if (name.endsWith('.txt')) {
          result.kept++
        }
      } catch (error) {
        // Renamed or removed by a request meanwhile: nothing left to prune.
        if (error.code !== 'ENOENT') {
          throw error
        }
      }
    }
    return result
  }

  /**
   * Prunes the expired sessions every `intervalMs` while the app runs. The
   * timer does not keep the process alive.
   */
  public static sweepEvery(intervalMs: number) {
    const timer = setInterval(async () => {
      try {
        const { removed } = await this.prune()
        Logger.info('session sweep removed %d expired sessions', removed)
      } catch (error) {
        Logger.error({ err: error }, 'session sweep failed')
      }
    }, intervalMs)
    timer.unref()
    return timer
  }

  /**
   * A session's Redis record as the session inspector shows it: the seconds
   * its TTL has left (-2 when there is no record) and its size in bytes.
   */
  public static async redisRecord(sessionId: string) {
    const connection = await this.redis()
    const key = `${REDIS_KEY_PREFIX}${sessionId}`
    const [ttl, bytes] = await Promise.all([connection.ttl(key), connection.strlen(key)])
    return { ttl, bytes }
  }

  /**
   * The database driver's row for a session: its size and expiry, or null.
   */
  public static async databaseRecord(sessionId: string) {
    const { default: Database } = await import('@ioc:Adonis/Lucid/Database')
    const row = await Database.from('sessions')
      .select('payload', 'expires_at')
      .where('id', sessionId)
      .first()
    return row
      ? { bytes: Buffer.byteLength(row.payload), expiresAt: new Date(Number(row.expires_at)) }
      : null
  }

  private static async ping() {
    switch (this.driver) {
      case 'file': {
        // A folder can be writable and still take no new file (a full disk,
        // no inodes left): create one, as a new session would.
        const location = this.config.file!.location
        const probe = join(
          location,
          `.health-${process.pid}-${Math.random().toString(36).slice(2)}`
        )
        await mkdir(location, { recursive: true, mode: 0o700 })
        try {
          await writeFile(probe, 'ok')
        } finally {
          await rm(probe, { force: true })
        }
        return
      }
      case 'redis': {
        const connection = await this.redis()
        const nextError = (fallback: Error) =>
          new Promise<Error>((resolve) => {
            const done = (reason: Error) => {
              clearTimeout(timer)
              connection.off('error', done)
              resolve(reason)
            }
            const timer = setTimeout(done, 300, fallback)
            connection.once('error', done)
          })
        try {
          await connection.ping()
        } catch (error) {
          // ioredis says "Stream isn't writeable" while it reconnects; the
          // connection's last error, or the next one when the reconnection
          // has not failed yet, says why (refused, timed out, auth...).
          throw (connection as any).lastError || (await nextError(error))
        }
        return
      }
      case 'database': {
        // Reads can work while writes cannot (a file locked by another
        // process): write a row, as a new session would, and roll it back.
        const { default: Database } = await import('@ioc:Adonis/Lucid/Database')
        const trx = await Database.transaction()
        try {
          await trx
            .insertQuery()
            .table('sessions')
            .insert({ id: `health-${process.pid}`, payload: '{}', expires_at: 0 })
        } finally {
          await trx.rollback()
        }
        return
      }
      default:
        // The cookie driver keeps everything in the visitor's cookie.
        return
    }
  }

  private static async redis() {
    const { default: Redis } = await import('@ioc:Adonis/Addons/Redis')
    return Redis.connection(this.config.redisConnection as any)
  }

  private static describe() {
    switch (this.driver) {
      case 'redis':
        return 'Redis'
      case 'file':
        return 'The session folder'
      case 'database':
        return 'The sessions table'
      default:
        return 'The session cookie'
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
