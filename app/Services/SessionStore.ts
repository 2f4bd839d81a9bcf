import Env from '@ioc:Adonis/Core/Env'
import Config from '@ioc:Adonis/Core/Config'
import Logger from '@ioc:Adonis/Core/Logger'
import Application from '@ioc:Adonis/Core/Application'
import type { SessionConfig } from '@ioc:Adonis/Addons/Session'
import { sessionAgeMs } from '../../providers/SessionDriver'
import type { PruneResult, SessionDriver } from '../../providers/SessionDriver'

export type StoreHealth = { ok: boolean; error?: string }

/**
 * What the app asks of the session store, beyond the requests' sessions:
 * its health (/health), its sweep (`session:prune` and the running app) and
 * one session's record (the inspector). Each question goes to the driver
 * config/session.ts names, which owns its store (providers/SessionDriver).
 */
export default class SessionStore {
  public static get config(): SessionConfig {
    return Config.get('session')
  }

  /**
   * The store as SESSION_DRIVER names it: cookie, file, redis or database.
   */
  public static get driver(): SessionDriver['store'] {
    return Env.get('SESSION_DRIVER', 'cookie')
  }

  /**
   * How long a session lives after its last request, in milliseconds.
   */
  public static get ageMs() {
    return sessionAgeMs(this.config)
  }

  /**
   * The driver itself, made on first use: Redis is only connected for the
   * redis driver, so the other drivers never open a connection.
   */
  private static get store(): SessionDriver {
    return Application.container.use('Session/Driver')
  }

  /**
   * Whether the store answers within `timeoutMs` and can take a new session.
   * The answer names the failing store only; why it failed (the error's
   * category: ECONNREFUSED, ENOSPC, NOAUTH…) goes to the log, with no path
   * and no address: /health answers anyone.
   */
  public static async check(timeoutMs = 500): Promise<StoreHealth> {
    try {
      await withTimeout(this.store.check(), timeoutMs)
      return { ok: true }
    } catch (error) {
      const reason = error.code || /^[A-Z]{4,}\b/.exec(error.message)?.[0] || error.message
      Logger.warn({ driver: this.driver, reason }, 'session store failed its health check')
      return { ok: false, error: `${STORE_NAMES[this.driver]} is unavailable` }
    }
  }

  /**
   * Deletes what the store keeps past its time; null when the store expires
   * its records itself (Redis) or keeps none (cookie).
   */
  public static prune(now = Date.now()): Promise<PruneResult | null> {
    return this.store.prune(now)
  }

  /**
   * One session's record as stored, for the inspector.
   */
  public static describe(sessionId: string) {
    return this.store.describe(sessionId)
  }

  /**
   * Prunes the expired sessions every `intervalMs` while the app runs. The
   * timer does not keep the process alive.
   */
  public static sweepEvery(intervalMs: number) {
    const timer = setInterval(async () => {
      try {
        const result = await this.prune()
        Logger.info('session sweep removed %d expired sessions', result?.removed ?? 0)
      } catch (error) {
        Logger.error({ err: error }, 'session sweep failed')
      }
    }, intervalMs)
    timer.unref()
    return timer
  }

  /**
   * Opens the Redis connection and waits (boundedly) until it is ready, so the
   * first requests do not meet a connection still in progress. A Redis that is
   * down does not stop the app: requests that need a session get the 503 page
   * until it returns.
   */
  public static async connect(timeoutMs = 2000) {
    const { default: Redis } = await import('@ioc:Adonis/Addons/Redis')
    const connection = Redis.connection(this.config.redisConnection as any)
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
        'Redis at %s:%s does not answer: pages that need a session answer 503 until it does. Start one with `redis-server --port %s`, or set REDIS_HOST and REDIS_PORT in .env',
        host,
        port,
        port
      )
    }
  }
}

/**
 * How /health names each store when it fails.
 */
const STORE_NAMES = {
  cookie: 'The session cookie',
  file: 'The session folder',
  redis: 'Redis',
  database: 'The sessions table',
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
