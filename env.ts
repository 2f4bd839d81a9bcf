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
import proxyAddr from 'proxy-addr'

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

/**
 * A rule that must have a value when `DB_CONNECTION=pg`, and may be left out
 * with SQLite.
 */
function requiredForPg<T>(rule: (key: string, value?: string) => T) {
  return (key: string, value?: string) => {
    if (!value && process.env.DB_CONNECTION === 'pg') {
      throw new Error(`Missing environment variable "${key}": DB_CONNECTION=pg needs it`)
    }
    return rule(key, value)
  }
}

/**
 * An optional list of Redis servers, `host:port,host:port`.
 */
function optionalServers(key: string, value?: string) {
  if (!value) {
    return undefined
  }
  return value.split(',').map((server) => {
    const match = server.trim().match(/^([^\s:]+):(\d{1,5})$/)
    if (!match) {
      throw new Error(
        `Value for environment variable "${key}" must be a list of host:port separated by commas, instead received "${value}"`
      )
    }
    return { host: match[1], port: Number(match[2]) }
  })
}

/**
 * REDIS_CLUSTER_NODES, which cannot go with REDIS_SENTINELS: config/redis.ts
 * connects to one server, through Sentinel, or to a Cluster.
 */
function optionalClusterNodes(key: string, value?: string) {
  if (value && process.env.REDIS_SENTINELS) {
    throw new Error(`Set either REDIS_SENTINELS or ${key}, not both`)
  }
  return optionalServers(key, value)
}

/**
 * How long a session write waits for Redis replicas to acknowledge it, in
 * milliseconds: under the 600 ms command timeout of config/redis.ts, or the
 * wait would be cut short by it.
 */
function waitTimeout(key: string, value?: string) {
  const ms = value === undefined || value === '' ? 300 : Number(value)
  if (!Number.isInteger(ms) || ms < 1 || ms > 500) {
    throw new Error(
      `Value for environment variable "${key}" must be a number of milliseconds from 1 to 500, instead received "${value}"`
    )
  }
  return ms
}

/**
 * An optional list of proxy addresses or ranges, `127.0.0.1,10.0.0.0/8`, as
 * proxy-addr reads them (`loopback` and the other names included).
 */
function optionalProxies(key: string, value?: string) {
  if (!value) {
    return undefined
  }
  const list = value.split(',').map((entry) => entry.trim())
  try {
    proxyAddr.compile(list)
  } catch (error) {
    throw new Error(
      `Value for environment variable "${key}" must be a list of IP addresses or ranges separated by commas, instead received "${value}" (${error.message})`
    )
  }
  return list
}

export default Env.rules({
  HOST: Env.schema.string({ format: 'host' }),
  PORT: Env.schema.number(),
  APP_KEY: Env.schema.string(),
  APP_NAME: Env.schema.string(),
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  CACHE_VIEWS: Env.schema.boolean(),

  INSTANCE_NAME: Env.schema.string.optional(),
  APP_PATCHES: Env.schema.enum.optional(['on', 'off'] as const),
  TRUSTED_PROXIES: optionalProxies,

  SESSION_DRIVER: Env.schema.enum.optional(['cookie', 'file', 'redis', 'database'] as const),
  SESSION_PRUNE_INTERVAL: optionalDuration,
  SESSION_FILE_LOCATION: Env.schema.string.optional(),

  POST_RATE_LIMIT: Env.schema.number.optional(),
  POST_RATE_WINDOW: optionalDuration,
  SESSION_RATE_LIMIT: Env.schema.number.optional(),
  SESSION_RATE_WINDOW: optionalDuration,

  DB_CONNECTION: Env.schema.enum.optional(['sqlite', 'pg'] as const),
  DB_FILE: Env.schema.string.optional(),
  PG_HOST: requiredForPg(Env.schema.string.optional({ format: 'host' })),
  PG_PORT: requiredForPg(Env.schema.number.optional()),
  PG_USER: requiredForPg(Env.schema.string.optional()),
  PG_PASSWORD: Env.schema.string.optional(),
  PG_DB_NAME: requiredForPg(Env.schema.string.optional()),

  REDIS_HOST: Env.schema.string.optional({ format: 'host' }),
  REDIS_PORT: Env.schema.number.optional(),
  REDIS_PASSWORD: Env.schema.string.optional(),
  REDIS_SENTINELS: optionalServers,
  REDIS_SENTINEL_NAME: Env.schema.string.optional(),
  REDIS_CLUSTER_NODES: optionalClusterNodes,
  REDIS_WAIT_REPLICAS: Env.schema.number.optional(),
  REDIS_WAIT_MIN_REPLICAS: Env.schema.number.optional(),
  REDIS_WAIT_TIMEOUT_MS: waitTimeout,
})
