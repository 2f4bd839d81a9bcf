/*
|--------------------------------------------------------------------------
| Session
|--------------------------------------------------------------------------
|
| SESSION_DRIVER picks where the session lives: `cookie` (encrypted in the
| visitor's cookies), `file` (tmp/sessions, or SESSION_FILE_LOCATION),
| `redis` (config/redis.ts) or `database` (the `sessions` table of
| config/database.ts's connection). All four are the app's own drivers
| (providers/SessionDriver, built in providers/SessionProvider.ts): a
| request commits only what it changed, so parallel requests of one visitor
| keep each other's changes, a visitor who stored nothing leaves nothing
| behind, and a store that fails answers the 503 page.
|
*/

import { resolve } from 'node:path'
import Env from '@ioc:Adonis/Core/Env'
import Application from '@ioc:Adonis/Core/Application'
import { sessionConfig } from '@adonisjs/session/build/config'

/**
 * Production cookies are Secure and, with the `__Host-` prefix, bound to this
 * host and path: no subdomain can set or overwrite them.
 */
const secure = Env.get('NODE_ENV') === 'production'

export default sessionConfig({
  enabled: true,
  driver: Env.get('SESSION_DRIVER', 'cookie'),
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
    location: resolve(Application.appRoot, Env.get('SESSION_FILE_LOCATION', 'tmp/sessions')),
  },
  redisConnection: 'local',

  /*
   * With replicas > 0, a session write waits (Redis WAIT, at most timeoutMs)
   * until that many Redis replicas hold it, and counts only if at least
   * minReplicas do, else the visitor gets the 503 page: a primary that dies
   * right after a write cannot take the write with it. Off (0) by default;
   * the fleet (support/fleet/) waits for both its replicas and needs one.
   */
  redisWait: {
    replicas: Env.get('REDIS_WAIT_REPLICAS', 0),
    minReplicas: Env.get('REDIS_WAIT_MIN_REPLICAS', Env.get('REDIS_WAIT_REPLICAS', 0)),
    timeoutMs: Env.get('REDIS_WAIT_TIMEOUT_MS'),
  },
})
