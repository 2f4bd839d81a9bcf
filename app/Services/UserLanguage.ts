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
   * The language the visitor chose, as the session stores it, or null: before
   * any choice the page is in the default language, but no language is
   * marked as chosen. A value that is not a supported locale, from an old
   * session say, is ignored.
   */
  public static of(ctx: HttpContextContract): string | null {
    const stored = ctx.session?.initiated ? ctx.session.get(this.sessionKey) : undefined
    return this.isSupported(stored) ? stored : null
  }

  /**
   * Switches i18n to the stored language; the views read it through
   * `ctx.i18n` and get the choice itself as `userLanguage`
   * (start/views.ts).
   */
  public static apply(ctx: HttpContextContract) {
    const userLanguage = this.of(ctx)
    if (userLanguage) {
      ctx.i18n.switchLocale(userLanguage)
    }
  }
}
