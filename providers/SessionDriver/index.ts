/*
|--------------------------------------------------------------------------
| Session drivers
|--------------------------------------------------------------------------
|
| The app's session layer, written as if it were a package: it imports
| nothing of the app, and gets what it needs (the errors a store failure
| and an ended id become, the note for input it cannot keep, the
| connections) from providers/SessionProvider.ts, which builds the one
| driver config/session.ts names (cookie, file, redis or database) and
| makes `ctx.session` a TrackedSession on it.
|
*/

import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { SessionConfig } from '@ioc:Adonis/Addons/Session'
import type { CookieOptions } from '@ioc:Adonis/Core/Response'
import type { DatabaseConfig } from '@ioc:Adonis/Lucid/Database'
import { string } from '@poppinss/utils/build/helpers'
import { TrackedSession } from './Session'
import type { SessionOptions } from './types'
import { VerifiedCookies } from './VerifiedCookies'

export { CookieDriver } from './CookieDriver'
export { BROWSER_COOKIE_LIMIT, COOKIE_LIMIT, SESSION_COOKIES_BUDGET } from './ChunkedCookie'
export { CookieSeal } from './CookieSeal'
export * as ChunkedCookie from './ChunkedCookie'
export { FileDriver } from './FileDriver'
export { LOCK_SUFFIX } from './FileLock'
export { RedisDriver, REDIS_KEY_PREFIX } from './RedisDriver'
export { DatabaseDriver, SESSIONS_TABLE } from './DatabaseDriver'
export { Store } from './Store'
export { isEnded, packRecord } from './Change'
export { newSessionId } from './SessionId'
export { sessionViewState } from './ViewSession'
export type {
  PruneResult,
  SessionDriver,
  SessionDriverOptions,
  StoreOperation,
  StoredRecord,
} from './types'

/**
 * The file of the app's default database connection when it is
 * better-sqlite3's, which the database driver reads sessions from directly.
 */
export function sqliteFile(config: DatabaseConfig): string | undefined {
  const connection = config.connections[config.connection] as any
  return connection?.client === 'better-sqlite3' ? connection.connection?.filename : undefined
}

/**
 * The session age in milliseconds. The config gives it as a string ('2h');
 * the stock drivers read a bare number as seconds in one place and as
 * milliseconds in another.
 */
export function sessionAgeMs(config: Pick<SessionConfig, 'age'>) {
  return typeof config.age === 'string' ? string.toMs(config.age) : config.age * 1000
}

/**
 * The session id cookie's options: `Max-Age` is the session age, unless the
 * session ends with the browser.
 */
export function sessionCookieOptions(config: SessionConfig): Partial<CookieOptions> {
  const maxAge = config.clearWithBrowser ? undefined : Math.round(sessionAgeMs(config) / 1000)
  return { ...config.cookie, maxAge }
}

/**
 * Makes `ctx.session` a TrackedSession on the given driver, in place of
 * @adonisjs/session's own; that package's server hooks still call
 * `initiate()` before the route and `commit()` after it.
 */
export function useTrackedSessions(
  HttpContext: {
    getter: (name: string, callback: (this: any) => any, singleton?: boolean) => void
  },
  options: Omit<SessionOptions, 'verifiedIds'>
) {
  const sessionOptions = { ...options, verifiedIds: new VerifiedCookies() }
  HttpContext.getter(
    'session',
    function (this: HttpContextContract) {
      return new TrackedSession(this, sessionOptions)
    },
    true
  )
}
