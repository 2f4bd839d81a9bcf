import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { ShieldConfig } from '@ioc:Adonis/Addons/Shield'
import Config from '@ioc:Adonis/Core/Config'
import View from '@ioc:Adonis/Core/View'
import { Exception } from '@poppinss/utils'
import Tokens from 'csrf'

/**
 * Shield's CSRF check and token, with one difference: Shield keeps the CSRF
 * secret in the session, so every page that renders a form creates a
 * session, and with a server-side driver a record per cookie-less visitor.
 * Here the secret lives in a signed cookie of its own (`csrf-secret`,
 * `__Host-csrf-secret` in production), as Django does, and is drawn only
 * when a page renders a form. It changes with the session id
 * (`session.regenerate()`, `session.clear()`), so a token from before a
 * regeneration no longer passes. Tokens are made and checked as Shield does
 * (the `csrf` package), from the `_csrf` field or `X-CSRF-Token`.
 *
 * Shield's headers are set for every request, matched or not, by a server
 * hook (app/Services/SecurityHeaders.ts).
 */
export default class Shield {
  private static csrf?: CsrfGuard

  private static guard() {
    Shield.csrf ||= new CsrfGuard(Config.get('shield.csrf', {}), Config.get('app.http.cookie', {}))
    return Shield.csrf
  }

  /**
   * Whether the browser holds a CSRF secret of this site: it was given a
   * form before. A cross-site post carries none (SameSite=Lax).
   */
  public static browserHasSecret(ctx: HttpContextContract) {
    return Shield.browserSecret(ctx) !== null
  }

  /**
   * The browser's CSRF secret, or null: what the session inspector masks.
   */
  public static browserSecret(ctx: HttpContextContract) {
    return Shield.guard().secretOf(ctx)
  }

  public async handle(ctx: HttpContextContract, next: () => Promise<void>) {
    const csrf = Shield.guard()
    csrf.check(ctx)
    await next()
    csrf.rotateWithSession(ctx)
  }
}

class InvalidCsrfTokenException extends Exception {
  constructor() {
    super('Invalid CSRF Token', 403, 'E_BAD_CSRF_TOKEN')
  }
}

/**
 * The CSRF check and token, with the secret in a signed cookie.
 */
class CsrfGuard {
  private tokens = new Tokens()
  private methods: string[]
  private cookieName: string

  constructor(
    private config: Partial<ShieldConfig['csrf']>,
    cookie: { secure?: boolean }
  ) {
    this.methods = (config.methods || []).map((method) => method.toUpperCase())
    this.cookieName = cookie.secure ? '__Host-csrf-secret' : 'csrf-secret'
  }

  /**
   * Refuses a form sent without a token made from this browser's secret, and
   * gives the views `csrfField()` and `csrfMeta()`, which draw a secret and
   * set its cookie the first time a page uses them. Nothing is defined on
   * the request object: a property defined per request gives each request
   * a shape of its own and kept every request alive into V8's old
   * generation (GC was a third of the CPU under load).
   */
  public check(ctx: HttpContextContract) {
    if (!this.config.enabled) {
      return
    }
    if (this.mustVerify(ctx)) {
      const secret = this.secretOf(ctx)
      const token = ctx.request.input('_csrf') || ctx.request.header('x-csrf-token')
      if (!secret || typeof token !== 'string' || !this.tokens.verify(secret, token)) {
        throw new InvalidCsrfTokenException()
      }
    }

    let token: string | undefined
    const tokenFor = () => (token ||= this.tokens.create(this.secretOf(ctx) || this.draw(ctx)))
    ctx.view.share({
      csrfField: () =>
        View.GLOBALS.safe(`<input type='hidden' name='_csrf' value='${tokenFor()}'>`),
      csrfMeta: () => View.GLOBALS.safe(`<meta name='csrf-token' content='${tokenFor()}'>`),
    })
  }

  /**
   * A new session id gets a new secret: the tokens of pages rendered before
   * stop working, as they would with the secret in the session.
   */
  public rotateWithSession(ctx: HttpContextContract) {
    if (this.config.enabled && ctx.session.regenerated && this.secretOf(ctx)) {
      this.draw(ctx)
    }
  }

  private mustVerify(ctx: HttpContextContract) {
    if (!this.methods.includes(ctx.request.method())) {
      return false
    }
    const except = this.config.exceptRoutes || []
    return typeof except === 'function' ? !except(ctx) : !except.includes(ctx.route!.pattern)
  }

  public secretOf(ctx: HttpContextContract): string | null {
    const secret = ctx.request.cookie(this.cookieName)
    return typeof secret === 'string' && secret.length >= 18 ? secret : null
  }

  /**
   * A new secret, in a cookie that ends with the browser.
   */
  private draw(ctx: HttpContextContract) {
    const secret = this.tokens.secretSync()
    ctx.response.cookie(this.cookieName, secret, { maxAge: undefined, httpOnly: true })
    return secret
  }
}
