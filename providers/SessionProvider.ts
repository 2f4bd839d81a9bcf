import type { ApplicationContract } from '@ioc:Adonis/Core/Application'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { SessionConfig } from '@ioc:Adonis/Addons/Session'
import type { SessionDriver } from './SessionDriver'

/**
 * The app's session layer (providers/SessionDriver): builds the one driver
 * config/session.ts names (`Session/Driver` in the container) and makes
 * `ctx.session` a TrackedSession on it. Listed after @adonisjs/session in
 * .adonisrc.json, whose `ctx.session` this replaces; that package's hooks
 * still call `ctx.session.initiate()` before each route and
 * `ctx.session.commit()` after it.
 */
export default class SessionProvider {
  constructor(protected app: ApplicationContract) {}

  public register() {
    this.app.container.singleton('Session/Driver', () => this.makeDriver())
  }

  public async boot() {
    this.app.container.withBindings(
      ['Adonis/Core/HttpContext', 'Adonis/Core/Config', 'Adonis/Core/Route'],
      (HttpContext, Config, Route) => {
        const { sessionCookieOptions, useTrackedSessions } = this.drivers()
        const config: SessionConfig = Config.get('session')

        // The health check reads and writes no session: a load balancer
        // polling it must not leave one behind per probe, and it must answer
        // while the store is down. Before hooks run before the router, so
        // its route is known by its URL.
        let healthUrl: string | undefined
        useTrackedSessions(HttpContext, {
          ...this.driverOptions(),
          cookieName: config.cookieName,
          cookie: sessionCookieOptions(config),
          driver: this.app.container.use('Session/Driver'),
          skip: (ctx) => ctx.request.url() === (healthUrl ||= Route.makeUrl('health')),
        })
      }
    )
  }

  /**
   * The driver SESSION_DRIVER names, given what it needs.
   */
  private makeDriver(): SessionDriver {
    const drivers = this.drivers()
    const Config = this.app.container.use('Adonis/Core/Config')
    const config: SessionConfig = Config.get('session')
    const options = this.driverOptions()

    switch (config.driver) {
      case 'cookie':
        return new drivers.CookieDriver({
          ...options,
          seal: new drivers.CookieSeal(
            Config.get('app.appKey'),
            this.app.container.use('Adonis/Core/Encryption')
          ),
          cookieName: config.cookieName,
          cookie: drivers.sessionCookieOptions(config),
        })
      case 'file':
        return new drivers.FileDriver(config.file!.location, options)
      case 'redis':
        return new drivers.RedisDriver({
          ...options,
          wait: config.redisWait,
          connection: () =>
            this.app.container.use('Adonis/Addons/Redis').connection(config.redisConnection as any),
        })
      case 'database':
        return new drivers.DatabaseDriver({
          ...options,
          sqliteFile: drivers.sqliteFile(Config.get('database')),
          connection: () => this.app.container.use('Adonis/Lucid/Database').connection(),
        })
      default:
        throw new Error(`config/session.ts names no session driver of this app: ${config.driver}`)
    }
  }

  /**
   * What every driver gets from the app: the session age, the errors a
   * failure becomes (the 503 page, the page for an ended id), and how old
   * input is dropped from a flash that cannot keep it.
   */
  private driverOptions() {
    const { sessionAgeMs } = this.drivers()
    const { default: Unavailable } = require('App/Exceptions/SessionStoreUnavailableException')
    const { default: Ended } = require('App/Exceptions/SessionEndedException')
    const { default: OldInput } = require('App/Services/OldInput')
    return {
      ageMs: sessionAgeMs(this.app.container.use('Adonis/Core/Config').get('session')),
      unavailable: (store: string, cause: unknown) => new Unavailable(store, cause),
      ended: (store: string) => new Ended(store),
      shedInput: (flash: Record<string, unknown>, ctx: HttpContextContract) =>
        OldInput.shed(flash, ctx.i18n),
      onStoreOperation: require('App/Services/Metrics').recordStoreOperation,
    }
  }

  private drivers() {
    return require('./SessionDriver') as typeof import('./SessionDriver')
  }
}
