import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { ShieldConfig } from '@ioc:Adonis/Addons/Shield'
import Config from '@ioc:Adonis/Core/Config'
import Encryption from '@ioc:Adonis/Core/Encryption'
import View from '@ioc:Adonis/Core/View'
import {
  cspFactory,
  csrfFactory,
  dnsPrefetchFactory,
  frameGuardFactory,
  hstsFactory,
  noSniffFactory,
} from '@adonisjs/shield/build/standalone'

type Action = (ctx: HttpContextContract) => void | Promise<void>

/**
 * Shield, doing what the stock middleware does in the same order: the CSRF
 * check (and token) first, then the security headers from config/shield.ts.
 *
 * The stock middleware is a new instance on every request, so it parses the
 * CSP directives again each time, and it draws a random CSP nonce for every
 * response even when no directive uses one. Here the actions are built once;
 * without `@nonce` the headers cannot vary between requests, so they are
 * computed once and copied onto each response.
 */
export default class Shield {
  private static actions?: Action[]

  private static build(): Action[] {
    const config: Partial<ShieldConfig> = Config.get('shield', {})
    const csrf: Action = csrfFactory(config.csrf || ({} as any), Encryption, View)
    const headers: Action[] = [
      cspFactory(config.csp || ({} as any)),
      dnsPrefetchFactory(config.dnsPrefetch || ({} as any)),
      frameGuardFactory(config.xFrame || ({} as any)),
      hstsFactory(config.hsts || ({} as any)),
      noSniffFactory(config.contentTypeSniffing || ({} as any)),
    ]

    if (JSON.stringify(config.csp?.directives || {}).includes('@nonce')) {
      return [csrf, ...headers]
    }
    const fixed = recordHeaders(headers)
    return [
      csrf,
      ({ response }) => {
        for (const [name, value] of fixed) response.header(name, value)
      },
    ]
  }

  public async handle(ctx: HttpContextContract, next: () => Promise<void>) {
    Shield.actions = Shield.actions || Shield.build()
    for (const action of Shield.actions) {
      await action(ctx)
    }
    await next()
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
