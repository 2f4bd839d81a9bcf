import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * An id that a proxy or a client may hand in: HAProxy's (hex, `:` and `_`),
 * a UUID, most tracing ids. Anything else (a hostile 8 KB header, one with
 * spaces or control characters, two ids joined by a comma) is replaced.
 */
const ACCEPTED = /^[\w.:-]{1,64}$/

/**
 * Gives the request its id before AdonisJS sees it (the metrics provider's
 * first server hook sends it back in `X-Request-Id`). AdonisJS reads `x-request-id` when it makes the request's
 * logger (`ctx.logger`, a child of its pino logger with `request_id`), so
 * every line logged while the request runs carries it, and it takes the
 * header as it comes: the check must happen here. A new id is a UUID
 * (crypto.randomUUID, a fraction of a microsecond), not AdonisJS's own
 * `generateRequestId` (a cuid, about 10 µs each on this machine).
 */
export function assignRequestId(req: IncomingMessage) {
  const id = req.headers['x-request-id']
  if (typeof id !== 'string' || !ACCEPTED.test(id)) {
    req.headers['x-request-id'] = randomUUID()
  }
}
