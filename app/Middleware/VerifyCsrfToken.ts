import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { ShieldConfig } from '@ioc:Adonis/Addons/Shield'
import Config from '@ioc:Adonis/Core/Config'
import { Exception } from '@poppinss/utils'
import CsrfSecret from 'App/Services/CsrfSecret'

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
 *
 * The last of `formChain` (start/kernel.ts), which every route that takes a
 * body runs. The pages' tokens (`csrfField()`, `csrfMeta()`) come from
 * `CsrfSecret.pageToken()`, and the secret follows the session in
 * DetectUserLanguage, on every route.
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
    if (VerifyCsrfToken.mustVerify(ctx)) {
      const secret = CsrfSecret.current(ctx)
      const token = ctx.request.input('_csrf') || ctx.request.header('x-csrf-token')
      if (!secret || !CsrfSecret.verify(secret, token)) {
        VerifyCsrfToken.refuse()
      }
    }
    await next()
  }
}
