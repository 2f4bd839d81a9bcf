import { Exception } from '@adonisjs/core/build/standalone'

/**
 * A request committed to a session id that another request ended
 * (`session.regenerate()`, `session.clear()`) while it ran. Its change is
 * not written: the old session must stay dead, and writing it to the new one
 * would let whoever holds the old id write into it. The exception handler
 * answers the translated 409 page, which says nothing was saved.
 */
export default class SessionEndedException extends Exception {
  constructor(driver: string) {
    super(
      `The ${driver} session id of this request was regenerated or cleared while it ran`,
      409,
      'E_SESSION_ENDED'
    )
  }
}
