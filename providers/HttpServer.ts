import { createServer, STATUS_CODES } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { errorKind, fallbackPage } from '../app/Services/ErrorPage'
import { assignRequestId } from '../app/Services/RequestId'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/**
 * Node answers a request it cannot parse itself, before the app sees it:
 * headers over 16 KB (a Cookie header grown by many cookies, say) get a bare
 * 431 with an empty body. These get the app's error page instead. The page
 * is in the default language: the headers, and so the session, were never
 * read.
 */
function statusOf(error: NodeJS.ErrnoException) {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 431
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408
    default:
      return 400
  }
}

const pages = new Map<number, Promise<string>>()

/**
 * The error page for a status, rendered once: a flood of bad requests must
 * not render a template each.
 */
function pageFor(status: number) {
  if (!pages.has(status)) {
    pages.set(
      status,
      (async () => {
        const { default: View } = await import('@ioc:Adonis/Core/View')
        const { Store } = await import('./SessionDriver')
        const kind = errorKind(status)
        return View.render('errors/page', { status, kind, flashMessages: new Store({}) })
      })().catch(() => fallbackPage(status))
    )
  }
  return pages.get(status)!
}

async function answerClientError(error: NodeJS.ErrnoException, socket: Duplex) {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const status = statusOf(error)
  const body = await pageFor(status)
  if (!socket.writable) {
    return
  }
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      'Content-Type: text/html; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n')
  )
}

/**
 * How long a client may take, so that slow clients cannot hold connections
 * (and memory) for minutes: Node's defaults are 60 s for the headers, 300 s
 * for the whole request, and it checks only every 30 s. A client too slow
 * gets the 408 page. Production still puts a reverse proxy in front, which
 * buffers slow clients before they reach the app.
 */
const timeouts = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
}

/**
 * The HTTP server of the app, for server.ts and the test suites alike.
 *
 * On SIGTERM the Ignitor calls `server.close()`, waits for it (at most 3 s)
 * and then runs the providers' shutdown, which closes Redis and the database.
 * `close()` stops taking connections and closes the idle ones, but a browser's
 * keep-alive connection whose request was still in flight stays open after
 * its response, so the 3 s run out and the process exits without closing
 * anything. Here the responses in flight at that moment, and any later ones,
 * close their connection.
 */
export function createHttpServer(handler: Handler) {
  let closing = false
  const inFlight = new Set<ServerResponse>()
  // One listener for every response, not a closure per request.
  const forget = function (this: ServerResponse) {
    inFlight.delete(this)
  }

  const server = createServer(timeouts, (req, res) => {
    res.shouldKeepAlive = res.shouldKeepAlive && !closing
    inFlight.add(res)
    res.on('close', forget)
    assignRequestId(req)
    handler(req, res)
  })
  server.on('clientError', (error, socket) => void answerClientError(error, socket))

  const close = server.close.bind(server)
  server.close = (callback?: (error?: Error) => void) => {
    closing = true
    for (const res of inFlight) {
      res.shouldKeepAlive = false
    }
    return close(callback)
  }
  return server
}
