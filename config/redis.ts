/*
|--------------------------------------------------------------------------
| Redis
|--------------------------------------------------------------------------
|
| Used only by the redis session driver. Connections are lazy, so the app
| never touches Redis while another driver is active.
|
*/

import Env from '@ioc:Adonis/Core/Env'
import { redisConfig } from '@adonisjs/redis/build/config'

export default redisConfig({
  connection: 'local',
  connections: {
    local: {
      host: Env.get('REDIS_HOST', '127.0.0.1'),
      port: Env.get('REDIS_PORT', 6379),
      password: Env.get('REDIS_PASSWORD', '') || undefined,
      db: 0,
      keyPrefix: '',

      /*
       * By default ioredis queues commands while Redis is down and retries
       * each one 20 times, so a page hangs about 20 s and then fails. Here a
       * command fails at once when there is no connection (the visitor gets
       * the 503 page) and waits at most commandTimeout for a Redis that is
       * connected but does not answer.
       */
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      commandTimeout: 600,

      /*
       * Keep reconnecting for as long as it takes, every 50 ms at first and
       * then every 500 ms, so the app recovers on its own when Redis returns.
       */
      retryStrategy: (attempt: number) => Math.min(attempt * 50, 500),
    },
  },
})
