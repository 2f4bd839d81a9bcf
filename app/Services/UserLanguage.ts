import I18n from '@ioc:Adonis/Addons/I18n'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'

/**
 * The visitor's language as the session stores it: one place that knows the
 * session key and which names are allowed, shared by the language switcher,
 * the middleware and the error pages.
 */
export default class UserLanguage {
  public static sessionKey = 'userLanguage'

  public static isSupported(name: unknown): name is string {
    return typeof name === 'string' && I18n.supportedLocales().includes(name)
  }

  /**
   * Reads the stored language and switches i18n (and the views) to it. A value
   * that is not a supported locale, from an old session say, is ignored. The
   * views also get the stored choice itself (`userLanguage`, or null): before
   * any choice the page is in the default language, but no language is marked
   * as chosen.
   */
  public static apply(ctx: HttpContextContract) {
    const stored = ctx.session?.get(this.sessionKey)
    const userLanguage = this.isSupported(stored) ? stored : null
    if (userLanguage) {
      ctx.i18n.switchLocale(userLanguage)
    }

    if ('view' in ctx) {
      ctx.view.share({ i18n: ctx.i18n, userLanguage })
    }
  }
}
