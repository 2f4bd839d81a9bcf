/*
|--------------------------------------------------------------------------
| Session drivers
|--------------------------------------------------------------------------
|
| The app's session layer, written as if it were a package: it imports
| nothing of the app, and gets what it needs (the error a store failure
| becomes, the note for input it cannot keep, the connections) from
| providers/AppProvider.ts.
|
*/

import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { SessionConfig, SessionManagerContract } from '@ioc:Adonis/Addons/Session'
import type { CookieOptions } from '@ioc:Adonis/Core/Response'
import type { DatabaseConfig } from '@ioc:Adonis/Lucid/Database'
import { string } from '@poppinss/utils/build/helpers'
import { SessionChange } from './Change'
import { TrackedSession } from './Session'
import type { SessionOptions } from './Session'
import type { SessionDriver } from './types'
import { VerifiedCookies } from './VerifiedCookies'

export {
  CookieDriver,
  BROWSER_COOKIE_LIMIT,
  COOKIE_LIMIT,
  SESSION_COOKIES_BUDGET,
} from './CookieDriver'
export { CookieSeal } from './CookieSeal'
export { FileDriver, LOCK_SUFFIX, STALE_LOCK_MS, TEMP_SUFFIX } from './FileDriver'
export { RedisDriver, REDIS_KEY_PREFIX } from './RedisDriver'
export { DatabaseDriver } from './DatabaseDriver'
export { Store } from './Store'
export { FLASH_KEY } from './Change'
export { TrackedSession, newSessionId } from './Session'
export type { SessionDriver, SessionDriverOptions } from './types'

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
 * Registers each driver under its name with `Session.extend`, as the guide's
 * custom drivers are, so that `config/session.ts` can pick it. Drivers are
 * made on first use and then shared by every request.
 */
export function registerSessionDrivers(
  Session: SessionManagerContract,
  factories: Record<string, () => SessionDriver>
) {
  const made = new Map<string, SessionDriver>()
  const driverNamed = (name: string) => {
    if (!made.has(name)) made.set(name, factories[name]())
    return made.get(name)!
  }
  for (const name of Object.keys(factories)) {
    Session.extend(name, (_, __, ctx) => asStockDriver(driverNamed(name), ctx))
  }
  return driverNamed
}

/**
 * Makes `ctx.session` a TrackedSession on the configured driver.
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

/**
 * A driver seen through @adonisjs/session's driver contract (read, write,
 * destroy, touch), so the stock session can use it too.
 */
function asStockDriver(driver: SessionDriver, ctx: HttpContextContract) {
  return {
    read: async (sessionId: string) => (await driver.load(sessionId, ctx))?.values ?? null,
    write: async (sessionId: string, values: Record<string, any>) => {
      const change = new SessionChange()
      change.clear()
      for (const [key, value] of Object.entries(values)) change.put(key, value)
      await driver.commit({ sessionId, loaded: null, change, ctx })
    },
    destroy: (sessionId: string) => driver.destroy(sessionId, ctx),
    touch: async (sessionId: string) => {
      const loaded = await driver.load(sessionId, ctx)
      if (loaded) {
        const change = new SessionChange()
        change.refresh = true
        await driver.commit({ sessionId, loaded, change, ctx })
      }
    },
  }
}
