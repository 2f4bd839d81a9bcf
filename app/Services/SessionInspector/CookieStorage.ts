import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import SessionStore from 'App/Services/SessionStore'
import { BROWSER_COOKIE_LIMIT } from '../../../providers/SessionDriver'
import Mask from './Mask'
import type { PendingRegeneration } from './Storage'

export type SessionCookie = {
  name: string
  holds: 'id' | 'values'
  bytes: number
  ratio: number
}

/**
 * The cookie driver keeps the whole session in the visitor's cookies: the
 * signed id, and the encrypted values in a cookie named after the id.
 */
export default class CookieStorage {
  /**
   * The session's cookies as the browser sent them. Sizes count the name and
   * the value, as browsers do against their limit.
   */
  public static async inspect(ctx: HttpContextContract) {
    const sent = sentCookies(ctx)
    const cookies: SessionCookie[] = [
      { name: SessionStore.config.cookieName, holds: 'id' as const },
      { name: ctx.session.sessionId, holds: 'values' as const },
    ]
      .filter(({ name }) => sent[name] !== undefined)
      .map(({ name, holds }) => {
        const bytes = Buffer.byteLength(`${name}=${sent[name]}`)
        return {
          name: holds === 'values' ? Mask.mask(name) : name,
          holds,
          bytes,
          ratio: bytes / BROWSER_COOKIE_LIMIT,
        }
      })

    return {
      driver: 'cookie' as const,
      limit: BROWSER_COOKIE_LIMIT,
      // The gauge turns amber at three quarters of the limit and red near it.
      gauge: { low: BROWSER_COOKIE_LIMIT * 0.75, high: BROWSER_COOKIE_LIMIT * 0.875 },
      cookies,
    }
  }

  /**
   * The old values lived in a cookie named after the old id: is the browser
   * still sending one?
   */
  public static async oldRecord(ctx: HttpContextContract, { from }: PendingRegeneration) {
    const oldCookie = Object.keys(sentCookies(ctx)).find(
      (name) => name.startsWith(from) && name !== ctx.session.sessionId
    )
    return { oldRecord: `${from}…`, oldRecordGone: !oldCookie }
  }
}

/**
 * The raw cookies of the request, by name: their size is what the browser
 * stores, before any decoding.
 */
function sentCookies(ctx: HttpContextContract): Record<string, string> {
  const header = ctx.request.header('cookie') || ''
  const cookies: Record<string, string> = {}
  for (const pair of header.split(';')) {
    const index = pair.indexOf('=')
    if (index > 0) {
      cookies[pair.slice(0, index).trim()] = pair.slice(index + 1).trim()
    }
  }
  return cookies
}
