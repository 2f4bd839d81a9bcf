import type { ApplicationContract } from '@ioc:Adonis/Core/Application'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { SessionDriverContract } from '@ioc:Adonis/Addons/Session'

export default class AppProvider {
  private sweep?: NodeJS.Timeout

  constructor(protected app: ApplicationContract) {}

  public register() {}

  /**
   * Our own session drivers, registered the way the guide's "custom session
   * drivers" describes. config/session.ts maps SESSION_DRIVER to them.
   */
  public async boot() {
    this.app.container.withBindings(
      ['Adonis/Addons/Session', 'Adonis/Core/CookieClient'],
      (Session, CookieClient) => {
        const { CookieDriver } = require('./SessionDriver/CookieDriver')
        const { FileDriver } = require('./SessionDriver/FileDriver')
        const { RedisDriver } = require('./SessionDriver/RedisDriver')
        Session.extend(
          'sealed-cookie',
          (_, config, ctx) => new CookieDriver(config, ctx, CookieClient)
        )
        Session.extend('atomic-file', (_, config, ctx) =>
          withoutSession(ctx) ? noStore : new FileDriver(config, ctx)
        )
        Session.extend('guarded-redis', (_, config, ctx) =>
          withoutSession(ctx)
            ? noStore
            : new RedisDriver(config, this.app.container.use('Adonis/Addons/Redis'), ctx)
        )
      }
    )
  }

  /**
   * With the redis driver, connects before the first request: ioredis fails
   * commands at once while it is not connected (config/redis.ts). With the
   * file driver, the web server sweeps expired session files on an interval.
   */
  public async ready() {
    const serving = ['web', 'test'].includes(this.app.environment)
    const { default: SessionStore } = await import('App/Services/SessionStore')
    if (SessionStore.driver === 'redis' && serving) {
      await SessionStore.connect()
    }
    if (SessionStore.driver === 'file' && this.app.environment === 'web') {
      this.sweep = SessionStore.sweepEvery(this.app.env.get('SESSION_PRUNE_INTERVAL', 3_600_000))
    }
  }

  /**
   * Runs on SIGTERM once the HTTP server has let in-flight requests finish;
   * the Redis and Lucid providers close their connections next to it.
   */
  public async shutdown() {
    clearInterval(this.sweep)
    this.letRedisQuitWhileDown()
  }

  /**
   * With the offline queue off (config/redis.ts), ioredis refuses QUIT while
   * it is reconnecting, so the Redis provider's shutdown would fail during an
   * outage and the process would exit with an error before the database is
   * closed. With the queue on, QUIT on a connection that is down just ends
   * it. This runs before the Redis provider's shutdown: providers are shut
   * down in the order of .adonisrc.json, and this one is listed first.
   */
  private letRedisQuitWhileDown() {
    if (!this.app.container.hasBinding('Adonis/Addons/Redis')) {
      return
    }
    const Redis = this.app.container.use('Adonis/Addons/Redis')
    for (const connection of Object.values(Redis.activeConnections)) {
      if (connection.status !== 'ready') {
        connection.ioConnection.options.enableOfflineQueue = true
      }
    }
  }
}

/**
 * The health check reads and writes no session: a load balancer polling it
 * must not leave a session behind per probe, and it must still answer when
 * the session store is down.
 */
function withoutSession(ctx: HttpContextContract) {
  return ctx.request.url() === '/health'
}

const noStore: SessionDriverContract = {
  read: () => null,
  write: () => {},
  destroy: () => {},
  touch: () => {},
}
