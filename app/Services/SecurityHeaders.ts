import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { ShieldConfig } from '@ioc:Adonis/Addons/Shield'
import Config from '@ioc:Adonis/Core/Config'
import {
  cspFactory,
  dnsPrefetchFactory,
  frameGuardFactory,
  hstsFactory,
  noSniffFactory,
} from '@adonisjs/shield/build/standalone'

type Action = (ctx: HttpContextContract) => void

/**
 * Headers of our own, next to Shield's. Every page shows session data, so no
 * shared cache may keep one (`private`), and the browser asks again before
 * showing a page it kept (`no-cache`). Back and Forward still show the page
 * as it was, with its form's submission id (app/Services/PostService.ts), so
 * a form sent again from there is stored once: with `no-store` the browser
 * fetched a new form, with a new id, and refilled it with the old text.
 * The Referer goes to this site only: the language switch needs it to send
 * the visitor back, other sites do not.
 */
const OWN_HEADERS: [string, string][] = [
  ['Cache-Control', 'private, no-cache'],
  ['Referrer-Policy', 'same-origin'],
]

/**
 * The response headers of every answer of the app, pages, redirects and
 * error pages alike: Shield's (config/shield.ts) and ours. They are set by a
 * server hook (providers/SecurityHeadersProvider.ts), which runs for every
 * request, where Shield's middleware runs only for a request that matched a
 * route: a 404 had none of them.
 *
 * Without `@nonce` in the CSP, the headers cannot vary between requests, so
 * they are computed once and copied onto each response.
 */
export default class SecurityHeaders {
  private static action?: Action

  private static build(): Action {
    const config: Partial<ShieldConfig> = Config.get('shield', {})
    const shield: Action[] = [
      cspFactory(config.csp || ({} as any)),
      dnsPrefetchFactory(config.dnsPrefetch || ({} as any)),
      frameGuardFactory(config.xFrame || ({} as any)),
      hstsFactory(config.hsts || ({} as any)),
      noSniffFactory(config.contentTypeSniffing || ({} as any)),
    ]
    const own: Action = ({ response }) => {
      for (const [name, value] of OWN_HEADERS) response.header(name, value)
    }

    if (JSON.stringify(config.csp?.directives || {}).includes('@nonce')) {
      return (ctx) => [...shield, own].forEach((action) => action(ctx))
    }
    const fixed = [...recordHeaders(shield), ...OWN_HEADERS]
    return ({ response }) => {
      for (const [name, value] of fixed) response.header(name, value)
    }
  }

  public static apply(ctx: HttpContextContract) {
    SecurityHeaders.action = SecurityHeaders.action || SecurityHeaders.build()
    SecurityHeaders.action(ctx)
  }
}

/**
 * The headers that the given actions set, captured by running them once
 * against a response that only records.
 */
function recordHeaders(actions: Action[]) {
  const headers = new Map<string, string>()
  const set = (name: string, value: string) => headers.set(name, value)
  const ctx = {
    request: {},
    view: { share() {} },
    response: { nonce: '', header: set, request: {}, response: { setHeader: set } },
  }
  for (const action of actions) {
    action(ctx as any)
  }
  return [...headers]
}
