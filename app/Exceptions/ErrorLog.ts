import Config from '@ioc:Adonis/Core/Config'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'

/**
 * The log line of a failed request: status, code, method and URL, with any
 * session id cut to a prefix. Expected failures (a 404, a bad CSRF token, a
 * store that is down...) carry no stack; an unexpected 500 does.
 */
export function logLine(
  error: any,
  ctx: HttpContextContract
): ['error' | 'warn', Record<string, unknown>, string] {
  const mask = (text = '') => maskSessionIds(text, ctx)
  const line: Record<string, unknown> = {
    status: error.status,
    code: error.code,
    method: ctx.request.method(),
    url: ctx.request.url(),
  }
  if (error.status === 500) {
    line.err = { type: error.name, message: mask(error.message), stack: mask(error.stack) }
  }
  return [error.status >= 500 ? 'error' : 'warn', line, mask(error.message)]
}

/**
 * The text with this request's session ids (the one the visitor sent, and
 * the one the session has now) cut to their first 8 characters: a file
 * driver error names the session file, and a log must not hand out a live
 * session.
 */
function maskSessionIds(text: string, ctx: HttpContextContract) {
  const ids = new Set([
    ctx.request.cookie(Config.get('session.cookieName')),
    ctx.session?.sessionId,
  ])
  let masked = text
  for (const id of ids) {
    if (typeof id === 'string' && id.length > 8) {
      masked = masked.split(id).join(`${id.slice(0, 8)}…`)
    }
  }
  return masked
}
