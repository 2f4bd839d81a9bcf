import type { ApplicationContract } from '@ioc:Adonis/Core/Application'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { SessionConfig } from '@ioc:Adonis/Addons/Session'

/**
 * The app's session layer (providers/SessionDriver): its four drivers,
 * registered with `Session.extend` as the guide's custom drivers are, and
 * `ctx.session` as a TrackedSession on the one config/session.ts picks.
 * Listed after @adonisjs/session in .adonisrc.json, whose `ctx.session` this
 * replaces; the stock hooks still initiate and commit it.
 */
export default class SessionProvider {
  constructor(protected app: ApplicationContract) {}

  public async boot() {
    this.app.container.withBindings(
      [
        'Adonis/Addons/Session',
        'Adonis/Core/HttpContext',
        'Adonis/Core/Encryption',
        'Adonis/Core/Config',
        'Adonis/Core/Route',
      ],
      (Session, HttpContext, Encryption, Config, Route) => {
        const drivers = require('./SessionDriver') as typeof import('./SessionDriver')
        const { default: Unavailable } = require('App/Exceptions/SessionStoreUnavailableException')
        const { default: OldInput } = require('App/Services/OldInput')

        const config: SessionConfig = Config.get('session')
        const cookie = drivers.sessionCookieOptions(config)
        const options = {
          ageMs: drivers.sessionAgeMs(config),
          unavailable: (store: string, cause: unknown) => new Unavailable(store, cause),
          shedInput: (flash: Record<string, unknown>, ctx: HttpContextContract) =>
            OldInput.shed(flash, ctx.i18n),
        }

        const driverNamed = drivers.registerSessionDrivers(Session, {
          'app-cookie': () =>
            new drivers.CookieDriver({
              ...options,
              seal: new drivers.CookieSeal(Config.get('app.appKey'), Encryption),
              cookieName: config.cookieName,
              cookie,
            }),
          'app-file': () => new drivers.FileDriver(config.file!.location, options),
          'app-redis': () =>
            new drivers.RedisDriver({
              ...options,
              prefix: drivers.REDIS_KEY_PREFIX,
              wait: config.redisWait,
              connection: () => this.redis().connection(config.redisConnection as any),
            }),
          'app-database': () =>
            new drivers.DatabaseDriver({
              ...options,
              table: 'sessions',
              sqliteFile: drivers.sqliteFile(Config.get('database')),
              connection: () => this.app.container.use('Adonis/Lucid/Database').connection(),
            }),
        })

        // The health check reads and writes no session: a load balancer
        // polling it must not leave one behind per probe, and it must answer
        // while the store is down. Before hooks run before the router, so
        // its route is known by its URL.
        let healthUrl: string | undefined
        drivers.useTrackedSessions(HttpContext, {
          ...options,
          cookieName: config.cookieName,
          cookie,
          driver: driverNamed(config.driver),
          skip: (ctx) => ctx.request.url() === (healthUrl ||= Route.makeUrl('health')),
        })
      }
    )
  }

  private redis() {
    return this.app.container.use('Adonis/Addons/Redis')
  }
}
