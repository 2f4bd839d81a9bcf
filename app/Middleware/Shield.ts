import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { ShieldConfig } from '@ioc:Adonis/Addons/Shield'
import Config from '@ioc:Adonis/Core/Config'
import Encryption from '@ioc:Adonis/Core/Encryption'
import View from '@ioc:Adonis/Core/View'
import { csrfFactory } from '@adonisjs/shield/build/standalone'

type Action = (ctx: HttpContextContract) => void | Promise<void>

/**
 * Shield's CSRF check (and token), built once: the stock middleware is a new
 * instance on every request and parses its config again each time. Shield's
 * headers are set for every request, matched or not, by a server hook
 * (app/Services/SecurityHeaders.ts).
 */
export default class Shield {
  private static csrf?: Action

  private static build(): Action {
    const config: Partial<ShieldConfig> = Config.get('shield', {})
    return csrfFactory(config.csrf || ({} as any), Encryption, View)
  }

  public async handle(ctx: HttpContextContract, next: () => Promise<void>) {
    Shield.csrf = Shield.csrf || Shield.build()
    await Shield.csrf(ctx)
    await next()
  }
}
