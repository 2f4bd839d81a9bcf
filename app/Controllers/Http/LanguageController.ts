import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import UnsupportedLanguageException from 'App/Exceptions/UnsupportedLanguageException'
import UserLanguage from 'App/Services/UserLanguage'
import ClientLimiter from 'App/Services/ClientLimiter'
import { backPath } from 'App/Services/SafeRedirect'

export default class LanguageController {
  /**
   * Stores a supported language in the session and sends the visitor back to
   * the page they came from. The switcher shows the codes as EN, FR, IT, so
   * any case names the same language. A visitor without a session starts
   * one here, at most so many a minute from one address.
   */
  public async update(ctx: HttpContextContract) {
    const { params, session, request, response } = ctx
    const name = String(params.name).toLowerCase()
    if (!UserLanguage.isSupported(name)) {
      return this.refuse(ctx)
    }

    if (session.fresh) {
      await ClientLimiter.newSessions.consume(ctx)
    }
    session.put(UserLanguage.sessionKey, name)
    return response.redirect(backPath(request))
  }

  /**
   * Any other name changes nothing. A visitor with a session goes back with
   * the message flashed; one without gets it as a page, and no session.
   */
  private refuse({ session, request, response, i18n }: HttpContextContract) {
    if (session.fresh) {
      throw new UnsupportedLanguageException()
    }
    session.flash('error', i18n.formatMessage('messages.language.unsupported'))
    return response.redirect(backPath(request))
  }
}
