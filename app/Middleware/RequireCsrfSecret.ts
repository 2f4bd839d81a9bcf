import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import CsrfSecret from 'App/Services/CsrfSecret'
import VerifyCsrfToken from 'App/Middleware/VerifyCsrfToken'

/**
 * Refuses a form that cannot pass the CSRF check, because the browser holds
 * no CSRF secret of this site for its session (a cross-site post, a script
 * without cookies, a secret from before `regenerate()`), before the body
 * parser reads its body: such a request costs no parsing. The token itself
 * is in the body, so VerifyCsrfToken checks it after the body parser.
 */
export default class RequireCsrfSecret {
  public async handle(ctx: HttpContextContract, next: () => Promise<void>) {
    if (VerifyCsrfToken.mustVerify(ctx) && !CsrfSecret.browserHasSecret(ctx)) {
      VerifyCsrfToken.refuse()
    }
    await next()
  }
}
