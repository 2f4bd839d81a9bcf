import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import Application from '@ioc:Adonis/Core/Application'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { SessionContract } from '@ioc:Adonis/Addons/Session'
import { string } from '@poppinss/utils/build/helpers'
import SessionStore from 'App/Services/SessionStore'
import { COOKIE_LIMIT as BROWSER_COOKIE_LIMIT } from '../../providers/SessionDriver'

export type SessionCookie = {
  name: string
  holds: 'id' | 'values'
  bytes: number
  ratio: number
}

export type Storage =
  | {
      driver: 'cookie'
      limit: number
      gauge: { low: number; high: number }
      cookies: SessionCookie[]
    }
  | { driver: 'file'; path: string; stored: boolean; bytes: number; writtenAt?: Date }
  | {
      driver: 'redis'
      key: string
      answered: boolean
      stored: boolean
      bytes: number
      ttl: number
      age: number
    }

export type Regeneration = {
  from: string
  to: string
  /** The old record as the page may show it: path, key or cookie name, masked. */
  oldRecord: string
  /** Null when the store could not be asked. */
  oldRecordGone: boolean | null
}

/**
 * What the pending regeneration keeps in the session until the next request
 * checks it. `id` (the whole old id) is only kept by the file and redis
 * drivers, whose session never leaves the server; the cookie driver needs no
 * more than the prefix, since the old record is one of the visitor's cookies.
 */
type PendingRegeneration = { from: string; to: string; id?: string }

/**
 * One request of the flash demo: `set` flashes, `relay` reflashes (only in
 * the double-redirect demo), `shown` reads the message, `gone` no longer has it.
 */
export type FlashStep = {
  name: 'set' | 'relay' | 'shown' | 'gone'
  /** The route that answers this request. */
  route: string
  request: number
  current: boolean
}

const PREFIX_LENGTH = 8

/**
 * Reads a session the way the session inspector shows it: the request counter,
 * where the active driver keeps the data, and whether the record left behind
 * by `session.regenerate()` is gone. The session id itself is never handed
 * out whole: the page must not undo the cookie's HttpOnly flag.
 */
export default class SessionInspector {
  public static keys = {
    requests: 'inspector.requests',
    regenerated: 'inspector.regenerated',
    flashDemo: 'inspector.flashDemo',
  }

  public static prefix(sessionId: string) {
    return sessionId.slice(0, PREFIX_LENGTH)
  }

  public static mask(sessionId: string) {
    return `${this.prefix(sessionId)}…`
  }

  /**
   * Counts the inspector's requests in the session itself, so the flash demo
   * can say which request the visitor is on. Returns this request's number.
   */
  public static countRequest(session: SessionContract): number {
    const previous = session.get(this.keys.requests)
    const current = Number.isInteger(previous) ? previous + 1 : 1
    // A visitor without a session gets none just for looking: the count
    // starts once something else is stored (a language, a demo).
    if (!session.fresh) {
      session.put(this.keys.requests, current)
    }
    return current
  }

  /**
   * Remembers on which request the demo flashed its message.
   */
  public static startFlashDemo(session: SessionContract, request: number, withReflash: boolean) {
    session.put(this.keys.flashDemo, { setOn: request, withReflash })
  }

  /**
   * The requests of the last flash demo, numbered from the one that flashed,
   * with the visitor's current request marked. Null before any demo.
   */
  public static flashTimeline(session: SessionContract, current: number): FlashStep[] | null {
    const demo = session.get(this.keys.flashDemo)
    if (!demo || !Number.isInteger(demo.setOn)) {
      return null
    }

    const steps: Pick<FlashStep, 'name' | 'route'>[] = demo.withReflash
      ? [
          { name: 'set', route: 'session.reflash' },
          { name: 'relay', route: 'session.relay' },
        ]
      : [{ name: 'set', route: 'session.flash' }]
    steps.push({ name: 'shown', route: 'session.show' }, { name: 'gone', route: 'session.show' })

    return steps.map((step, index) => {
      const request = demo.setOn + index
      const last = index === steps.length - 1
      return { ...step, request, current: last ? current >= request : current === request }
    })
  }

  /**
   * Every key of the session, pretty-printed for the page (which escapes it).
   */
  public static values(session: SessionContract) {
    return Object.entries(session.all()).map(([key, value]) => ({
      key,
      json: JSON.stringify(value, null, 2),
    }))
  }

  /**
   * Gives the session a new id and remembers what the next request needs to
   * show the change. The old record is only destroyed when this request's
   * session is committed, so it cannot be checked before the next request.
   */
  public static regenerate(session: SessionContract) {
    const oldId = session.sessionId
    session.regenerate()

    const pending: PendingRegeneration = {
      from: this.prefix(oldId),
      to: this.prefix(session.sessionId),
    }
    if (SessionStore.driver !== 'cookie') {
      pending.id = oldId
    }
    session.put(this.keys.regenerated, pending)
  }

  /**
   * Takes the pending regeneration out of the session (so the whole old id is
   * never rendered with `session.all()`) and checks where the old record was.
   */
  public static async takeRegeneration(ctx: HttpContextContract): Promise<Regeneration | null> {
    const pending: Partial<PendingRegeneration> | undefined = ctx.session.pull(
      this.keys.regenerated
    )
    if (typeof pending?.from !== 'string' || typeof pending.to !== 'string') {
      return null
    }

    const { from, to, id } = pending
    switch (SessionStore.driver) {
      case 'file':
        // Without the old id (the driver changed since) there is nothing to check.
        return typeof id === 'string'
          ? {
              from,
              to,
              oldRecord: this.maskedFilePath(id),
              oldRecordGone: !existsSync(this.filePath(id)),
            }
          : null
      case 'redis': {
        if (typeof id !== 'string') {
          return null
        }
        const oldRecord = this.mask(id)
        try {
          const redis = await this.redis()
          return { from, to, oldRecord, oldRecordGone: (await redis.exists(id)) === 0 }
        } catch {
          // Redis failed between the session read and this check: say nothing
          // about the old key rather than guess.
          return { from, to, oldRecord, oldRecordGone: null }
        }
      }
      default: {
        // The old values lived in a cookie named after the old id.
        const names = Object.keys(sentCookies(ctx))
        const oldCookie = names.find(
          (name) => name.startsWith(from) && name !== ctx.session.sessionId
        )
        return { from, to, oldRecord: `${from}…`, oldRecordGone: !oldCookie }
      }
    }
  }

  /**
   * Where the active driver keeps this session, as it stood before this
   * request writes it back.
   */
  public static async storage(ctx: HttpContextContract): Promise<Storage> {
    const sessionId = ctx.session.sessionId

    switch (SessionStore.driver) {
      case 'file': {
        const path = this.maskedFilePath(sessionId)
        // The file is written whole on every request, so its age is the time
        // since the visitor's previous request.
        const stats = await stat(this.filePath(sessionId)).catch(() => null)
        return stats?.size
          ? { driver: 'file', path, stored: true, bytes: stats.size, writtenAt: stats.mtime }
          : { driver: 'file', path, stored: false, bytes: 0 }
      }
      case 'redis': {
        const storage = {
          driver: 'redis' as const,
          key: this.mask(sessionId),
          answered: true,
          stored: false,
          bytes: 0,
          ttl: -2,
          age: Math.round(string.toMs(SessionStore.config.age) / 1000),
        }
        try {
          const redis = await this.redis()
          const [ttl, bytes] = await Promise.all([redis.ttl(sessionId), redis.strlen(sessionId)])
          return { ...storage, stored: ttl !== -2, bytes, ttl }
        } catch {
          // Redis answered the session read a moment ago; if it fails now, the
          // page still shows everything else.
          return { ...storage, answered: false }
        }
      }
      default:
        return {
          driver: 'cookie',
          limit: BROWSER_COOKIE_LIMIT,
          // The gauge turns amber at three quarters of the limit and red near it.
          gauge: { low: BROWSER_COOKIE_LIMIT * 0.75, high: BROWSER_COOKIE_LIMIT * 0.875 },
          cookies: this.cookies(ctx),
        }
    }
  }

  /**
   * The session's cookies as the browser sent them: the signed id, and the
   * encrypted values in a cookie named after the id. Sizes count the name and
   * the value, as browsers do against their limit.
   */
  private static cookies(ctx: HttpContextContract): SessionCookie[] {
    const sent = sentCookies(ctx)
    const idCookie = SessionStore.config.cookieName
    const sessionId = ctx.session.sessionId

    return [
      { name: idCookie, holds: 'id' as const },
      { name: sessionId, holds: 'values' as const },
    ]
      .filter(({ name }) => sent[name] !== undefined)
      .map(({ name, holds }) => {
        const bytes = Buffer.byteLength(`${name}=${sent[name]}`)
        return {
          name: holds === 'values' ? this.mask(name) : name,
          holds,
          bytes,
          ratio: bytes / BROWSER_COOKIE_LIMIT,
        }
      })
  }

  /**
   * "5 minutes ago", in the visitor's language.
   */
  public static ago(date: Date, locale: string) {
    const seconds = Math.max(0, Math.round((Date.now() - date.getTime()) / 1000))
    const format = new Intl.RelativeTimeFormat(locale, { numeric: 'always' })
    if (seconds < 60) {
      return format.format(-seconds, 'second')
    }
    if (seconds < 3600) {
      return format.format(-Math.floor(seconds / 60), 'minute')
    }
    return format.format(-Math.floor(seconds / 3600), 'hour')
  }

  private static filePath(sessionId: string) {
    return join(SessionStore.config.file!.location, `${sessionId}.txt`)
  }

  private static maskedFilePath(sessionId: string) {
    const directory = relative(Application.appRoot, SessionStore.config.file!.location)
    return `${directory}/${this.mask(sessionId)}.txt`
  }

  /**
   * Imported here, not at the top, so the cookie and file drivers never open
   * a Redis connection.
   */
  private static async redis() {
    const { default: Redis } = await import('@ioc:Adonis/Addons/Redis')
    return Redis.connection(SessionStore.config.redisConnection as any)
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
