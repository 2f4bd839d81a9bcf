import Env from '@ioc:Adonis/Core/Env'
import { Exception } from '@adonisjs/core/build/standalone'
import { Limiter } from '@adonisjs/limiter/build/services'
import type { Limiter as StoreLimiter } from '@adonisjs/limiter/build/src/limiter'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import { RateLimiterMemory } from 'rate-limiter-flexible'
import SessionStore from 'App/Services/SessionStore'
import { limiterStoreClass } from '../../providers/LimiterStore'

/**
 * The longest client address kept as a limiter key: an IPv6 address with
 * its zone fits. The address is the socket's, or one a trusted proxy wrote
 * (config/app.ts), so it is never longer; the bound keeps it so.
 */
const MAX_CLIENT_LENGTH = 64

/**
 * How many times a client (its address, `request.ip()`) may do one thing in
 * a window; past that, the limiter's E_TOO_MANY_REQUESTS: the 429 page, with
 * Retry-After.
 *
 * With the redis session driver the counts live in the session's Redis, so
 * every instance of the app shares them. Otherwise they live in this
 * process's memory (rate-limiter-flexible's memory store, the library that
 * @adonisjs/limiter wraps): the limiter's 1.x line keeps counts only in
 * Redis, MySQL or PostgreSQL, not in the app's SQLite, and a server to run
 * only for counting would be one more thing to install for `npm start`. The
 * file driver runs on one server anyway; with the cookie driver on several
 * instances, each one counts on its own.
 */
export default class ClientLimiter {
  /**
   * Writes (POST requests): POST_RATE_LIMIT in POST_RATE_WINDOW, 30 a
   * minute unless set.
   */
  public static writes = new ClientLimiter('posts', 'POST_RATE_LIMIT', 'POST_RATE_WINDOW', 30)

  /**
   * Sessions started by visitors who had none: SESSION_RATE_LIMIT in
   * SESSION_RATE_WINDOW, 60 a minute unless set. Without it, one client
   * switching the language without cookies left a record per request.
   */
  public static newSessions = new ClientLimiter(
    'sessions',
    'SESSION_RATE_LIMIT',
    'SESSION_RATE_WINDOW',
    60,
    'tooManySessions'
  )

  private limiter?: StoreLimiter

  constructor(
    private name: string,
    private limitKey: 'POST_RATE_LIMIT' | 'SESSION_RATE_LIMIT',
    private windowKey: 'POST_RATE_WINDOW' | 'SESSION_RATE_WINDOW',
    private defaultLimit: number,
    private pageKind?: string
  ) {}

  private get store() {
    if (!this.limiter) {
      const requests = Env.get(this.limitKey, this.defaultLimit)
      const ms = Env.get(this.windowKey, 60_000)
      this.limiter =
        SessionStore.driver === 'redis'
          ? Limiter.use('redis', { requests, duration: ms })
          : new (limiterStoreClass())(
              new RateLimiterMemory({ points: requests, duration: ms / 1000 })
            )
    }
    return this.limiter
  }

  /**
   * Counts one for the request's client, or throws: E_TOO_MANY_REQUESTS past
   * the limit, a 503 when the store does not answer.
   */
  public async consume({ request }: HttpContextContract) {
    try {
      await this.store.consume(`${this.name}:${request.ip().slice(0, MAX_CLIENT_LENGTH)}`)
    } catch (error) {
      if (error.code === 'E_TOO_MANY_REQUESTS') {
        error.pageKind = this.pageKind
        throw error
      }
      throw new Exception(
        `The rate limiter store is unavailable: ${error.message}`,
        503,
        'E_LIMITER_UNAVAILABLE'
      )
    }
  }
}
