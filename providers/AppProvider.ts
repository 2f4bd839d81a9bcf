import type { ApplicationContract } from '@ioc:Adonis/Core/Application'

export default class AppProvider {
  private sweep?: NodeJS.Timeout

  constructor(protected app: ApplicationContract) {}

  public register() {}

  /**
   * With the redis driver, connects before the first request: ioredis fails
   * commands at once while it is not connected (config/redis.ts). With the
   * file and database drivers, the web server sweeps expired sessions on an
   * interval.
   */
  public async ready() {
    const serving = ['web', 'test'].includes(this.app.environment)
    const { default: SessionStore } = await import('App/Services/SessionStore')
    if (SessionStore.driver === 'redis' && serving) {
      await SessionStore.connect()
    }
    if (['file', 'database'].includes(SessionStore.driver) && this.app.environment === 'web') {
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
