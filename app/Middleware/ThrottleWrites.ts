import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import WriteLimiter from 'App/Services/WriteLimiter'

/**
 * Limits each client's writes (every POST route) before the body is read,
 * so a client over the limit costs no parsing and no CSRF check.
 */
export default class ThrottleWrites {
  public async handle({ request }: HttpContextContract, next: () => Promise<void>) {
    if (request.method() === 'POST') {
      await WriteLimiter.consume(request.ip())
    }
    await next()
  }
}
