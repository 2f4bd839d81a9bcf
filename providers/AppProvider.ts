import type { ApplicationContract } from '@ioc:Adonis/Core/Application'

export default class AppProvider {
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
        Session.extend(
          'sealed-cookie',
          (_, config, ctx) => new CookieDriver(config, ctx, CookieClient)
        )
      }
    )
  }

  public async ready() {}

  public async shutdown() {}
}
