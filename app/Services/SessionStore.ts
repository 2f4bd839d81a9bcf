import { access, mkdir, readdir, rm, stat } from 'node:fs/promises'
import { constants } from 'node:fs'
import { join } from 'node:path'
import Env from '@ioc:Adonis/Core/Env'
import Config from '@ioc:Adonis/Core/Config'
import Logger from '@ioc:Adonis/Core/Logger'
import type { SessionConfig } from '@ioc:Adonis/Addons/Session'
import { sessionAgeMs } from '../../providers/SessionDriver/StoreDriver'
import { TEMP_SUFFIX } from '../../providers/SessionDriver/FileDriver'

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
   * The store as SESSION_DRIVER names it: cookie, file or redis.
   */
  public static get driver(): 'cookie' | 'file' | 'redis' {
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
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs)
      connection.once('ready', done)
      function done() {
        clearTimeout(timer)
        connection.off('ready', done)
        resolve()
      }
    })
  }

  /**
   * Deletes the session files older than the session age and the temporary
   * files of writes that never finished. A session file is rewritten on every
   * request, so its modification time is the visitor's last request.
   */
  public static async prune(now = Date.now()): Promise<PruneResult> {
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
          : null
      if (maxAge === null) {
        continue
      }
      const path = join(location, name)
      try {
        const { mtimeMs } = await stat(path)
        if (now - mtimeMs > maxAge) {
          await rm(path, { force: true })
          result.removed++
        } else {
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
   * Prunes the session folder every `intervalMs` while the app runs. The
   * timer does not keep the process alive.
   */
  public static sweepEvery(intervalMs: number) {
    const timer = setInterval(async () => {
      try {
        const { removed } = await this.prune()
        Logger.info('session sweep removed %d expired session files', removed)
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
        const { host, port, sentinels, name, clusters } = Config.get(
          `redis.connections.${this.config.redisConnection}`
        )
        const list = (servers: any[]) => servers.map((s) => `${s.host}:${s.port}`).join(', ')
        if (clusters) return `Redis Cluster at ${list(clusters)}`
        if (sentinels) return `Redis primary "${name}" of the Sentinels at ${list(sentinels)}`
        return `Redis at ${host}:${port}`
      }
      case 'file':
        return `the session folder ${this.config.file!.location}`
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
