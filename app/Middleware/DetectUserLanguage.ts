import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import UserLanguage from 'App/Services/UserLanguage'

/**
 * Switches the whole UI to the language stored in the session. It runs first,
 * so that even a body-parser or CSRF failure is answered in that language.
 */
export default class DetectUserLanguage {
  public async handle(ctx: HttpContextContract, next: () => Promise<void>) {
    UserLanguage.apply(ctx)
    await next()
  }
}
