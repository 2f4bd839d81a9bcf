/**
 * The error page of each status the app explains, for the exception handler
 * and for the requests Node refuses before the app sees them
 * (app/Services/HttpServer.ts): the translation key
 * `messages.errors.<kind>` that resources/views/errors/page.edge shows.
 */
const kinds: Record<number, string> = {
  400: 'badRequest',
  403: 'forbidden',
  404: 'notFound',
  408: 'timeout',
  409: 'sessionEnded',
  413: 'tooLarge',
  415: 'unsupportedType',
  429: 'tooManyRequests',
  431: 'headersTooLarge',
  500: 'server',
  503: 'unavailable',
}

/**
 * Any other status reads as a bad request (4xx) or a server error (5xx).
 */
export function errorKind(status: number) {
  return kinds[status] || (status >= 500 ? 'server' : 'badRequest')
}

/**
 * The page when even the error template cannot be rendered.
 */
export function fallbackPage(status: number) {
  return `<!DOCTYPE html><title>${status}</title><h1>${status}</h1>`
}
