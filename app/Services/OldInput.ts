import type { I18nContract } from '@ioc:Adonis/Addons/I18n'

/**
 * Flash keys that are messages rather than the visitor's old input: the flash
 * partial renders them.
 */
export const MESSAGE_KEYS = ['errors', 'success', 'error']

/**
 * Old input travels in the flash messages to refill the form after a failed
 * validation. When the session cannot keep it (too large for the cookie
 * driver, or not serializable at all), this is what is kept instead.
 */
export default class OldInput {
  /**
   * The flash messages without the old input and with a note in the
   * visitor's language saying the text could not be kept; the validation
   * errors stay, unless they cannot be serialized either.
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
