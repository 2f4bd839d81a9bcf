/**
 * Contract source: https://bit.ly/3IPyj8d
 *
 * Limiter stores, inferred from config/limiter.ts.
 */

import type limiterConfig from '../config/limiter'

declare module '@adonisjs/limiter/build/services/index' {
  type Config = (typeof limiterConfig)['stores']

  export interface LimiterStores extends Config {}
}
