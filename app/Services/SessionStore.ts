import { access, mkdir } from 'node:fs/promises'
import { constants } from 'node:fs'
import Env from '@ioc:Adonis/Core/Env'
import Config from '@ioc:Adonis/Core/Config'
import type { SessionConfig } from '@ioc:Adonis/Addons/Session'

export type StoreHealth = { ok: boolean; error?: string }

/**
 * What the active session driver is and whether the place it keeps sessions
 * answers. Redis is only imported for the redis driver, so the other drivers
 * never open a connection.
 */
export default class SessionStore {
  public static get config(): SessionConfig {
    return Config.get('session')
  }

  /**
   * The store as SESSION_DRIVER names it: cookie, file or redis.
   */
  public static get driver(): 'cookie' | 'file' | 'redis' {
    return Env.get('SESSION_DRIVER', 'cookie')
  }

  public static async check(timeoutMs = 1000): Promise<StoreHealth> {
    try {
      await withTimeout(this.ping(), timeoutMs)
      return { ok: true }
    } catch (error) {
      return { ok: false, error: error.message }
    }
  }

  private static async ping() {
    switch (this.driver) {
      case 'file': {
        const location = this.config.file!.location
        await mkdir(location, { recursive: true })
        await access(location, constants.W_OK)
        return
      }
      case 'redis': {
        const { default: Redis } = await import('@ioc:Adonis/Addons/Redis')
        await Redis.connection(this.config.redisConnection as any).ping()
        return
      }
      default:
        // The cookie driver keeps everything in the visitor's cookie.
        return
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
