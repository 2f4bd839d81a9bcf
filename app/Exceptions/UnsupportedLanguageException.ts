import { Exception } from '@adonisjs/core/build/standalone'

/**
 * A language the app does not have, asked for by a visitor without a
 * session: the message comes as the 404 page, where flashing it would start
 * a session to carry it.
 */
export default class UnsupportedLanguageException extends Exception {
  public pageKind = 'unsupportedLanguage'

  constructor() {
    super('Unsupported language', 404, 'E_UNSUPPORTED_LANGUAGE')
  }
}
