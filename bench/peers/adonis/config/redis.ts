/*
|--------------------------------------------------------------------------
| Redis
|--------------------------------------------------------------------------
*/

import Env from '@ioc:Adonis/Core/Env'
import { redisConfig } from '@adonisjs/redis/build/config'

export default redisConfig({
  connection: 'local',
  connections: {
    local: {
      host: Env.get('REDIS_HOST'),
      port: Env.get('REDIS_PORT'),
      password: '',
      db: 0,
      keyPrefix: '',
    },
  },
} as any)
