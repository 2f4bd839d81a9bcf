/*
|--------------------------------------------------------------------------
| Session
|--------------------------------------------------------------------------
|
| SESSION_DRIVER picks where the session lives: `cookie` (encrypted in the
| cookie itself), `file` (tmp/sessions, or SESSION_FILE_LOCATION) or `redis`
| (config/redis.ts).
|
*/

import { resolve } from 'node:path'
import Env from '@ioc:Adonis/Core/Env'
import Application from '@ioc:Adonis/Core/Application'
import { sessionConfig } from '@adonisjs/session/build/config'

/**
 * The driver behind each SESSION_DRIVER value, all our own
 * (providers/SessionDriver, registered in providers/AppProvider.ts). The
 * stock cookie driver loses an oversized session whole and accepts a
 * replayed cookie forever; the stock file driver answers 500 to parallel
 * requests (a reader meets a half-written file) and never deletes; the stock
 * drivers answer a store failure with a 500, not the 503 page.
 */
const drivers = {
  cookie: 'sealed-cookie',
  file: 'atomic-file',
  redis: 'guarded-redis',
} as const

export default sessionConfig({
  enabled: true,
  driver: drivers[Env.get('SESSION_DRIVER', 'cookie')],
  cookieName: 'adonis-session',
  clearWithBrowser: false,
  age: '2h',
  cookie: {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: Env.get('NODE_ENV') === 'production',
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
   * the fleet (bin/fleet/) waits for both its replicas and needs one.
   */
  redisWait: {
    replicas: Env.get('REDIS_WAIT_REPLICAS', 0),
    minReplicas: Env.get('REDIS_WAIT_MIN_REPLICAS', Env.get('REDIS_WAIT_REPLICAS', 0)),
    timeoutMs: Env.get('REDIS_WAIT_TIMEOUT_MS'),
  },
})
