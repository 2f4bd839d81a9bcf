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
    },
  },
})
