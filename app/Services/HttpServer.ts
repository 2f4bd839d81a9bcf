import { createServer, STATUS_CODES } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/**
 * Node answers a request it cannot parse itself, before the app sees it:
 * headers over 16 KB (a Cookie header grown by many cookies, say) get a bare
 * 431 with an empty body. These get the app's error page instead. The page
 * is in the default language: the headers, and so the session, were never
 * read.
 */
const kinds: Record<number, string> = { 413: 'tooLarge', 431: 'headersTooLarge' }

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
        const { Store } = await import('@adonisjs/session/build/src/Store')
        const kind = kinds[status] || 'badRequest'
        return View.render('errors/page', { status, kind, flashMessages: new Store({}) })
      })().catch(() => `<!DOCTYPE html><title>${status}</title><h1>${status}</h1>`)
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
 * The HTTP server of the app, for server.ts and the test suites alike.
 */
export function createHttpServer(handler: Handler) {
  const server = createServer(handler)
  server.on('clientError', (error, socket) => void answerClientError(error, socket))
  return server
}
