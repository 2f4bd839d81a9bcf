import { access, mkdir, readdir, rm, stat } from 'node:fs/promises'
import { constants } from 'node:fs'
import { join } from 'node:path'
import Env from '@ioc:Adonis/Core/Env'
import Config from '@ioc:Adonis/Core/Config'
import Logger from '@ioc:Adonis/Core/Logger'
import type { SessionConfig } from '@ioc:Adonis/Addons/Session'
import {
  LOCK_SUFFIX,
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
   * Whether the store answers within `timeoutMs`, and if not, why: the
   * message names the store and the failure.
   */
  public static async check(timeoutMs = 500): Promise<StoreHealth> {
    try {
      await withTimeout(this.ping(), timeoutMs)
      return { ok: true }
    } catch (error) {
      return { ok: false, error: `${this.describe()}: ${error.message}` }
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
    connection.once('ready', () => Logger.info('%s answers', this.describe()))
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
      const { port } = Config.get(`redis.connections.${this.config.redisConnection}`)
      Logger.warn(
        '%s does not answer: every page answers 503 until it does. Start one with `redis-server --port %s`, or set REDIS_HOST and REDIS_PORT in .env',
        this.describe(),
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

  private static async ping() {
    switch (this.driver) {
      case 'file': {
        const location = this.config.file!.location
        await mkdir(location, { recursive: true })
        await access(location, constants.W_OK)
        return
      }
      case 'redis': {
        const connection = await this.redis()
        try {
          await connection.ping()
        } catch (error) {
          // ioredis says "Stream isn't writeable" while it reconnects; the
          // connection's last error says why (refused, timed out, auth...).
          throw (connection as any).lastError || error
        }
        return
      }
      case 'database': {
        const { default: Database } = await import('@ioc:Adonis/Lucid/Database')
        await Database.from('sessions').select('id').limit(1)
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
      case 'redis': {
        const { host, port } = Config.get(`redis.connections.${this.config.redisConnection}`)
        return `Redis at ${host}:${port}`
      }
      case 'file':
        return `the session folder ${this.config.file!.location}`
      case 'database':
        return 'the sessions table'
      default:
        return 'the session cookie'
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
