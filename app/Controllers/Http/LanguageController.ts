import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import UserLanguage from 'App/Services/UserLanguage'
import { backPath } from 'App/Services/SafeRedirect'

export default class LanguageController {
  /**
   * Stores a supported language in the session and sends the visitor back to
   * the page they came from. Any other name changes nothing. The switcher
   * shows the codes as EN, FR, IT, so any case names the same language.
   */
  public async update({ params, session, request, response, i18n }: HttpContextContract) {
    const name = String(params.name).toLowerCase()
    if (UserLanguage.isSupported(name)) {
      session.put(UserLanguage.sessionKey, name)
    } else {
      session.flash('error', i18n.formatMessage('messages.language.unsupported'))
    }

    return response.redirect(backPath(request))
  }
}
