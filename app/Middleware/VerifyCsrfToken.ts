import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { ShieldConfig } from '@ioc:Adonis/Addons/Shield'
import Config from '@ioc:Adonis/Core/Config'
import View from '@ioc:Adonis/Core/View'
import { Exception } from '@poppinss/utils'
import CsrfSecret from 'App/Services/CsrfSecret'
import type { BrowserSecret } from 'App/Services/CsrfSecret'

const config: Partial<ShieldConfig['csrf']> = Config.get('shield.csrf', {})
const methods = (config.methods || []).map((method) => method.toUpperCase())

class InvalidCsrfTokenException extends Exception {
  constructor() {
    super('Invalid CSRF Token', 403, 'E_BAD_CSRF_TOKEN')
  }
}

/**
 * Shield's CSRF check, with the secret in a cookie of its own
 * (app/Services/CsrfSecret.ts): a form sent without a token made from this
 * browser's secret for its session is refused with a 403. Tokens are made and
 * checked as Shield does (the `csrf` package), from the `_csrf` field or
 * `X-CSRF-Token`. A request without such a secret was already refused by
 * RequireCsrfSecret, before its body was read.
 */
export default class VerifyCsrfToken {
  public static mustVerify(ctx: HttpContextContract) {
    if (!config.enabled || !methods.includes(ctx.request.method())) {
      return false
    }
    const except = config.exceptRoutes || []
    return typeof except === 'function' ? !except(ctx) : !except.includes(ctx.route!.pattern)
  }

  public static refuse(): never {
    throw new InvalidCsrfTokenException()
  }

  public async handle(ctx: HttpContextContract, next: () => Promise<void>) {
    let secret: BrowserSecret | null = null
    if (VerifyCsrfToken.mustVerify(ctx)) {
      secret = CsrfSecret.current(ctx)
      const token = ctx.request.input('_csrf') || ctx.request.header('x-csrf-token')
      if (!secret || !CsrfSecret.verify(secret, token)) {
        VerifyCsrfToken.refuse()
      }
    }

    const form = new CsrfForm(ctx, secret)
    ctx.view.share({ csrfForm: form })
    await next()
    CsrfSecret.followSession(ctx, form.secret || undefined)
  }
}

/**
 * What `csrfField()` and `csrfMeta()` read in the views: the token of this
 * request, made the first time a page asks, from the browser's secret or a
 * new one. One instance per request, of one class: no closure and no
 * property is added to the request's objects.
 */
class CsrfForm {
  private tokenValue?: string

  constructor(
    private ctx: HttpContextContract,
    public secret: BrowserSecret | null
  ) {}

  public token() {
    if (this.tokenValue === undefined) {
      this.secret ||= CsrfSecret.current(this.ctx)
      if (!this.secret || this.secret.expiresAt - Date.now() < CsrfSecret.ageMs / 2) {
        // None yet, or half its age gone: a page kept open is sent back
        // within a full session age.
        this.secret = this.secret
          ? CsrfSecret.give(this.ctx, this.secret.secret, this.secret.session)
          : CsrfSecret.draw(this.ctx)
      }
      this.tokenValue = CsrfSecret.token(this.secret)
    }
    return this.tokenValue
  }
}

View.global('csrfField', function (this: { csrfForm: CsrfForm }) {
  return View.GLOBALS.safe(`<input type='hidden' name='_csrf' value='${this.csrfForm.token()}'>`)
})
View.global('csrfMeta', function (this: { csrfForm: CsrfForm }) {
  return View.GLOBALS.safe(`<meta name='csrf-token' content='${this.csrfForm.token()}'>`)
})
