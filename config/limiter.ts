/*
|--------------------------------------------------------------------------
| Rate limiter
|--------------------------------------------------------------------------
|
| Counts each client's writes and new sessions (app/Services/ClientLimiter.ts).
| With the redis session driver the counts live in the session's Redis
| connection, shared by every instance of the app.
|
*/

import { limiterConfig } from '@adonisjs/limiter/build/config'
import session from './session'

export default limiterConfig({
  default: 'redis',
  stores: {
    redis: {
      client: 'redis',
      connectionName: session.redisConnection!,
      keyPrefix: 'limiter',
    },
  },
})
