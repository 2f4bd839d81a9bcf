import { request as httpRequest } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'

/**
 * What the session store holds on the server, in bytes, with every driver
 * (tests/helpers/session_store.ts queries the stores). The cookie driver
 * keeps nothing on the server: what it stores travels in the visitor's
 * cookie jar.
 */
export { storedBytesInAll as storedBytes } from './session_store'

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
