import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import ClientLimiter from 'App/Services/ClientLimiter'

/**
 * Limits each client's writes (every POST route) before the body is read,
 * so a client over the limit costs no parsing and no CSRF check.
 */
export default class ThrottleWrites {
  public async handle(ctx: HttpContextContract, next: () => Promise<void>) {
    if (ctx.request.method() === 'POST') {
      await ClientLimiter.writes.consume(ctx)
    }
    await next()
  }
}
