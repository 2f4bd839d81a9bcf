import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import UserLanguage from 'App/Services/UserLanguage'
import CsrfSecret from 'App/Services/CsrfSecret'

/**
 * The one global middleware (start/kernel.ts). Before the route, it switches
 * the whole UI to the language stored in the session; it runs first, so that
 * even a body-parser or CSRF failure is answered in that language.
 *
 * Once the route has answered, it keeps the CSRF secret with the session
 * (`CsrfSecret.followSession`): on any route, a GET that starts a session
 * (the language switch) included. A returning visitor's request that keeps
 * its id pays two property reads for it, a visitor without a session a look
 * at what the request stored; the cookie is read only when the secret must
 * move.
 */
export default class DetectUserLanguage {
  public async handle(ctx: HttpContextContract, next: () => Promise<void>) {
    UserLanguage.apply(ctx)
    await next()
    CsrfSecret.followSession(ctx)
  }
}
