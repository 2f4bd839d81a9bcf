import Env from '@ioc:Adonis/Core/Env'
import { Exception } from '@adonisjs/core/build/standalone'
import { Limiter } from '@adonisjs/limiter/build/services'
import type { Limiter as StoreLimiter } from '@adonisjs/limiter/build/src/limiter'
import { RateLimiterMemory } from 'rate-limiter-flexible'
import SessionStore from 'App/Services/SessionStore'
import { limiterStoreClass } from '../../providers/LimiterStore'

/**
 * How many writes (POST requests) a client may make in a window:
 * POST_RATE_LIMIT in POST_RATE_WINDOW, 30 a minute unless set.
 *
 * With the redis session driver the counts live in the session's Redis, so
 * every instance of the app shares them. Otherwise they live in this
 * process's memory (rate-limiter-flexible's memory store, the library that
 * @adonisjs/limiter wraps): the limiter's 1.x line keeps counts only in
 * Redis, MySQL or PostgreSQL, not in the app's SQLite, and a server to run
 * only for counting posts would be one more thing to install for `npm
 * start`. The file driver runs on one server anyway; with the cookie driver
 * on several instances, each one counts on its own.
 */
export default class WriteLimiter {
  private static limiter?: StoreLimiter

  private static get store() {
    if (!this.limiter) {
      const requests = Env.get('POST_RATE_LIMIT', 30)
      const ms = Env.get('POST_RATE_WINDOW', 60_000)
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
   * Counts one write for the client, or throws: the limiter's
   * E_TOO_MANY_REQUESTS (the 429 page, with Retry-After) past the limit, a
   * 503 when the store does not answer.
   */
  public static async consume(client: string) {
    try {
      await this.store.consume(`posts:${client}`)
    } catch (error) {
      if (error.code === 'E_TOO_MANY_REQUESTS') {
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
