import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import I18n from '@ioc:Adonis/Addons/I18n'

export default class LanguageController {
  /**
   * Stores a supported language in the session and redirects home.
   */
  public async update({ params, session, response }: HttpContextContract) {
    if (I18n.supportedLocales().includes(params.name)) {
      session.put('userLanguage', params.name)
    }
    return response.redirect().toRoute('home')
  }
}
