/*
|--------------------------------------------------------------------------
| Session
|--------------------------------------------------------------------------
|
| SESSION_DRIVER picks where the session lives: `cookie` (encrypted in the
| visitor's cookies), `file` (tmp/sessions), `redis` (config/redis.ts) or
| `database` (the `sessions` table of config/database.ts's connection).
|
*/

import Env from '@ioc:Adonis/Core/Env'
import Application from '@ioc:Adonis/Core/Application'
import { sessionConfig } from '@adonisjs/session/build/config'

/**
 * The driver behind each SESSION_DRIVER value, all the app's own
 * (providers/SessionDriver, registered in providers/SessionProvider.ts): a
 * request commits only what it changed, so parallel requests of one visitor
 * keep each other's changes, a visitor who stored nothing leaves nothing
 * behind, and a store that fails answers the 503 page.
 */
const drivers = {
  cookie: 'app-cookie',
  file: 'app-file',
  redis: 'app-redis',
  database: 'app-database',
} as const

/**
 * Production cookies are Secure and, with the `__Host-` prefix, bound to this
 * host and path: no subdomain can set or overwrite them.
 */
const secure = Env.get('NODE_ENV') === 'production'

export default sessionConfig({
  enabled: true,
  driver: drivers[Env.get('SESSION_DRIVER', 'cookie')],
  cookieName: secure ? '__Host-adonis-session' : 'adonis-session',
  clearWithBrowser: false,
  age: '2h',
  cookie: {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
  },
  file: {
    location: Application.tmpPath('sessions'),
  },
  redisConnection: 'local',
})
