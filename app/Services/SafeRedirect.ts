import type { RequestContract } from '@ioc:Adonis/Core/Request'

/**
 * The path of the page the visitor came from, when it is a page of this site.
 * A Referer from another site, a `javascript:` URL or a protocol-relative
 * path (`//evil.example`) never becomes a redirect target.
 */
export function backPath(request: RequestContract, fallback = '/') {
  const referrer = request.header('referer')
  if (!referrer) {
    return fallback
  }

  try {
    const url = new URL(referrer)
    const sameSite = ['http:', 'https:'].includes(url.protocol) && url.host === request.host()
    if (!sameSite || url.pathname.startsWith('//')) {
      return fallback
    }
    return url.pathname + url.search
  } catch {
    return fallback
  }
}
