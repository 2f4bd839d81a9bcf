import type { ApplicationContract } from '@ioc:Adonis/Core/Application'

/**
 * Sets the security and caching headers (app/Services/SecurityHeaders.ts) in
 * a server hook, so that every answer carries them, a 404 and the error pages
 * included. Listed in .adonisrc.json between @adonisjs/core and
 * @adonisjs/session, the hook runs after the static files hook (the
 * stylesheet and the icon keep their own caching headers) and before the
 * session is read: a 503 from a session store that is down carries them too.
 */
export default class SecurityHeadersProvider {
  constructor(protected app: ApplicationContract) {}

  public boot() {
    this.app.container.withBindings(['Adonis/Core/Server'], (Server) => {
      const { default: SecurityHeaders } = require('App/Services/SecurityHeaders')
      Server.hooks.before(SecurityHeaders.apply)
    })
  }
}
