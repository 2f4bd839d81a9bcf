/**
 * Contract source: https://git.io/JemcN
 *
 * Redis connections, inferred from config/redis.ts.
 */

import { InferConnectionsFromConfig } from '@adonisjs/redis/build/config'
import redisConfig from '../config/redis'

declare module '@ioc:Adonis/Addons/Redis' {
  interface RedisConnectionsList extends InferConnectionsFromConfig<typeof redisConfig> {}
}
