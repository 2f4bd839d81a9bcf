import { Exception } from '@adonisjs/core/build/standalone'

/**
 * The place where sessions live (Redis, the session folder) did not answer.
 * The exception handler turns it into the translated 503 page: the request
 * cannot go on without its session, but the visitor must not see a 500 or
 * wait for a store that is down.
 */
export default class SessionStoreUnavailableException extends Exception {
  constructor(driver: string, cause: Error) {
    super(
      `The ${driver} session store is unavailable: ${cause.message}`,
      503,
      'E_SESSION_STORE_UNAVAILABLE'
    )
  }
}
