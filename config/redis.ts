/*
|--------------------------------------------------------------------------
| Redis
|--------------------------------------------------------------------------
|
| Used only by the redis session driver. Connections are lazy, so the app
| never touches Redis while another driver is active. The `local`
| connection reaches Redis in one of three ways:
|
| - one server: REDIS_HOST, REDIS_PORT;
| - the primary that Sentinel names: REDIS_SENTINELS=host:port,… and
|   REDIS_SENTINEL_NAME (default `mymaster`);
| - a Redis Cluster: REDIS_CLUSTER_NODES=host:port,…
|
*/

import Env from '@ioc:Adonis/Core/Env'
import { redisConfig } from '@adonisjs/redis/build/config'
import type { RedisClusterConfig, RedisConnectionConfig } from '@ioc:Adonis/Addons/Redis'

/*
 * By default ioredis queues commands while Redis is down and retries each
 * one 20 times, so a page hangs about 20 s and then fails. Here a command
 * fails at once when there is no connection (the visitor gets the 503 page)
 * and waits at most commandTimeout for a Redis that is connected but does
 * not answer.
 */
const failFast = {
  password: Env.get('REDIS_PASSWORD', '') || undefined,
  maxRetriesPerRequest: 0,
  connectTimeout: 1000,
  commandTimeout: 600,
}

/*
 * Keep reconnecting for as long as it takes, every 50 ms at first and then
 * every 500 ms, so the app recovers on its own when Redis returns, or when
 * Sentinel or the Cluster has promoted a replica.
 */
const reconnect = (attempt: number) => Math.min(attempt * 50, 500)

const sentinels = Env.get('REDIS_SENTINELS')
const clusterNodes = Env.get('REDIS_CLUSTER_NODES')

/*
 * Sentinel: ioredis asks the Sentinels which server is the primary, checks
 * that the server it reaches is one (role), and asks again on every
 * reconnection and as soon as a Sentinel announces a failover.
 */
const server: RedisConnectionConfig = {
  ...failFast,
  enableOfflineQueue: false,
  ...(sentinels
    ? {
        sentinels,
        name: Env.get('REDIS_SENTINEL_NAME', 'mymaster'),
        role: 'master' as const,
        failoverDetector: true,
        sentinelRetryStrategy: reconnect,
      }
    : {
        host: Env.get('REDIS_HOST', '127.0.0.1'),
        port: Env.get('REDIS_PORT', 6379),
      }),
  db: 0,
  keyPrefix: '',
  retryStrategy: reconnect,
}

/*
 * Cluster: a command for a node that is gone is retried while the Cluster
 * promotes its replica, but only a few times, so the visitor gets the 503
 * page in well under a second instead of waiting for the failover.
 * cluster-require-full-coverage is off on the nodes (support/fleet/redis.js), so
 * the other nodes keep answering meanwhile.
 */
const cluster: RedisClusterConfig = {
  clusters: clusterNodes || [],
  clusterOptions: {
    enableOfflineQueue: false,
    clusterRetryStrategy: reconnect,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    maxRedirections: 4,
    slotsRefreshTimeout: 1000,
    redisOptions: failFast,
  },
}

export default redisConfig({
  connection: 'local',
  connections: {
    local: (clusterNodes ? cluster : server) as RedisConnectionConfig,
  },
})
