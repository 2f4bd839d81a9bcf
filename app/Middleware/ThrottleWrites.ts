import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import ClientLimiter from 'App/Services/ClientLimiter'

/**
 * Limits each client's writes before the body is read, so a client over
 * the limit costs no parsing and no CSRF check. The first of `formChain`
 * (start/kernel.ts): it runs on the routes that take a body, and only there.
 */
export default class ThrottleWrites {
  public async handle(ctx: HttpContextContract, next: () => Promise<void>) {
    await ClientLimiter.writes.consume(ctx)
    await next()
  }
}
