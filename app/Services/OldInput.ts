import type { I18nContract } from '@ioc:Adonis/Addons/I18n'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import CreatePostValidator from 'App/Validators/CreatePostValidator'
import { backPath } from 'App/Services/SafeRedirect'

/**
 * Flash keys that are messages rather than the visitor's old input: the flash
 * partial renders them.
 */
export const MESSAGE_KEYS = ['errors', 'success', 'error']

/**
 * Old input travels in the flash messages to refill the form after a failed
 * post: a failed validation, an expired form, a database that did not
 * answer. The validator's own handler flashes every field of the request
 * and redirects to the Referer as given; here the form gets back only its
 * own fields (CreatePostValidator.oldInput), and the redirect stays on this
 * site (SafeRedirect).
 */
export default class OldInput {
  public static sendBack(ctx: HttpContextContract, messages: Record<string, any>) {
    ctx.session.flash({ ...CreatePostValidator.oldInput(ctx.request), ...messages })
    return ctx.response.redirect(backPath(ctx.request))
  }

  /**
   * When the session cannot keep the old input (too large for the cookie
   * driver, or not serializable at all): the flash messages without it and
   * with a note in the visitor's language saying the text could not be kept;
   * the validation errors stay, unless they cannot be serialized either.
   */
  public static shed(flash: Record<string, unknown>, i18n: I18nContract) {
    const note = i18n.formatMessage('messages.errors.inputTooLong')
    const kept: Record<string, unknown> = {}
    for (const key of MESSAGE_KEYS) {
      if (flash[key] !== undefined) kept[key] = flash[key]
    }
    kept.error = typeof kept.error === 'string' ? `${kept.error} ${note}` : note
    try {
      JSON.stringify(kept)
      return kept
    } catch {
      return { error: note }
    }
  }
}
