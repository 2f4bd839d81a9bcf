import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { request as httpRequest } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
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

export type RawResponse = { status: number; headers: IncomingHttpHeaders; body: string }

/**
 * A request sent from the given loopback address (127.0.0.2, 127.0.0.3...):
 * to the app, a client other than the tests' own 127.0.0.1, or a peer that is
 * not a trusted proxy.
 */
export function requestFrom(
  localAddress: string,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {}
) {
  return new Promise<RawResponse>((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method: options.method || 'GET', headers: options.headers, localAddress },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => (body += chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode!, headers: response.headers, body })
        )
      }
    )
    outgoing.on('error', reject)
    outgoing.end(options.body)
  })
}
