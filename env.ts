/*
|--------------------------------------------------------------------------
| Validating Environment Variables
|--------------------------------------------------------------------------
|
| Every variable the app reads is declared here, so a missing or wrong value
| stops boot with a message instead of a half-working app.
|
*/

import Env from '@ioc:Adonis/Core/Env'
import { string } from '@ioc:Adonis/Core/Helpers'

/**
 * An optional duration: a number of seconds, or a number with a unit such as
 * `30m` or `1h`. Read as milliseconds.
 */
function optionalDuration(key: string, value?: string): number | undefined {
  if (!value) {
    return undefined
  }
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : string.toMs(value)
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(
      `Value for environment variable "${key}" must be a number of seconds or a duration like 30m or 1h, instead received "${value}"`
    )
  }
  return ms
}

export default Env.rules({
  HOST: Env.schema.string({ format: 'host' }),
  PORT: Env.schema.number(),
  APP_KEY: Env.schema.string(),
  APP_NAME: Env.schema.string(),
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  CACHE_VIEWS: Env.schema.boolean(),

  SESSION_DRIVER: Env.schema.enum.optional(['cookie', 'file', 'redis', 'database'] as const),
  SESSION_PRUNE_INTERVAL: optionalDuration,

  POST_RATE_LIMIT: Env.schema.number.optional(),
  POST_RATE_WINDOW: optionalDuration,

  DB_FILE: Env.schema.string.optional(),

  REDIS_HOST: Env.schema.string.optional({ format: 'host' }),
  REDIS_PORT: Env.schema.number.optional(),
  REDIS_PASSWORD: Env.schema.string.optional(),
})
