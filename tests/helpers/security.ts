import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import SessionStore from 'App/Services/SessionStore'

/**
 * What the session store holds on the server, in bytes: the session files
 * (file driver) or the values of every key (redis driver). The cookie driver
 * keeps nothing on the server: what it stores travels in the visitor's
 * cookie jar.
 */
export async function storedBytes() {
  switch (SessionStore.driver) {
    case 'file': {
      const folder = SessionStore.config.file!.location
      const names = await readdir(folder).catch(() => [] as string[])
      let bytes = 0
      for (const name of names) {
        bytes += (await stat(join(folder, name)).catch(() => ({ size: 0 }))).size
      }
      return bytes
    }
    case 'redis': {
      const { default: Redis } = await import('@ioc:Adonis/Addons/Redis')
      const redis = Redis.connection('local')
      let bytes = 0
      for (const key of await redis.keys('*')) {
        bytes += Number(await redis.call('memory', 'usage', key)) || 0
      }
      return bytes
    }
    default:
      return 0
  }
}
