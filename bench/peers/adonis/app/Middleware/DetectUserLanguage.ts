import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'

/**
 * The language switcher's middleware: the language stored in the session,
 * if any, switches i18n, and the views get it.
 */
export default class DetectUserLanguage {
  public async handle({ session, i18n, view }: HttpContextContract, next: () => Promise<void>) {
    const language = session.get('userLanguage')
    if (language) {
      i18n.switchLocale(language)
    }
    view.share({ i18n })
    await next()
  }
}
