import { textOf } from './visitor'

/**
 * What the home page says about the language stored in the session.
 */
export const NOT_SET = 'Your current language is not set'
export const FRENCH = 'Votre langue actuelle est français (fr)'
export const ITALIAN = 'La tua lingua attuale è italiano (it)'

/**
 * The home page's line about the stored language, in the page's language.
 */
export function currentLanguage(html: string) {
  return textOf(html, 'current-language')
}
