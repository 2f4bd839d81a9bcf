import { createHash } from 'node:crypto'
import Config from '@ioc:Adonis/Core/Config'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import { sessionAgeMs } from '../../providers/SessionDriver'
import Tokens from 'csrf'

/**
 * A browser's CSRF secret, as its signed cookie carries it: the secret the
 * form tokens are made from, the session it belongs to (a hash of the id,
 * empty while the visitor has no session) and when it expires.
 */
export type BrowserSecret = { secret: string; session: string; expiresAt: number }

const tokens = new Tokens()

/**
 * The form token of each request that rendered one, and the secret it was
 * made from. Kept beside the request, not on it: no property is added to
 * the request's objects.
 */
const pageTokens = new WeakMap<HttpContextContract, { secret: BrowserSecret; token: string }>()

/**
 * The CSRF secret, kept out of the session. Shield keeps it in the session,
 * so every page that renders a form would start one, and with a server-side
 * driver a record per cookie-less visitor. Here it lives in a signed cookie
 * of its own (`csrf-secret`, `__Host-csrf-secret` in production), as Django
 * does, drawn when a page first renders a form.
 *
 * The cookie names the session it was drawn for and expires with the
 * session age: a secret from before `regenerate()` or `clear()`, or of
 * another session, sent with a session's cookies is refused like one from
 * another browser, and an old copy of the cookie stops working on its own.
 */
export default class CsrfSecret {
  public static cookieName = Config.get('app.http.cookie.secure')
    ? '__Host-csrf-secret'
    : 'csrf-secret'

  public static ageMs = sessionAgeMs(Config.get('session'))

  /**
   * The secret the request's cookie carries, whatever session it names, or
   * null when there is none, it was tampered with or it expired.
   */
  public static read(ctx: HttpContextContract): BrowserSecret | null {
    const value = ctx.request.cookie(this.cookieName)
    if (typeof value !== 'string') {
      return null
    }
    const [secret, session, expires] = value.split('.')
    const expiresAt = parseInt(expires, 36)
    if (!secret || secret.length < 18 || !(expiresAt > Date.now())) {
      return null
    }
    return { secret, session: session || '', expiresAt }
  }

  /**
   * The secret a form token must be made from: the browser's, when it
   * belongs to the visitor's session. A visitor without a session (none
   * yet, or one that ended when its last value was read) may hold any of
   * theirs: there is no session for it to belong to.
   */
  public static current(ctx: HttpContextContract) {
    const found = this.read(ctx)
    if (!found || !ctx.session?.initiated) {
      return found
    }
    return ctx.session.fresh || found.session === this.sessionOf(ctx) ? found : null
  }

  /**
   * Whether the browser holds a secret of this site that can pass the check.
   * A cross-site post carries none (SameSite=Lax), nor does a browser that
   * never opened a form here or kept a cookie past its age.
   */
  public static browserHasSecret(ctx: HttpContextContract) {
    return this.current(ctx) !== null
  }

  /**
   * The browser's secret, or null: what the session inspector masks.
   */
  public static browserSecret(ctx: HttpContextContract) {
    return this.current(ctx)?.secret ?? null
  }

  public static verify(secret: BrowserSecret, token: unknown) {
    return typeof token === 'string' && tokens.verify(secret.secret, token)
  }

  public static token(secret: BrowserSecret) {
    return tokens.create(secret.secret)
  }

  /**
   * A new secret for the visitor's session, in its cookie.
   */
  public static draw(ctx: HttpContextContract) {
    return this.give(ctx, tokens.secretSync(), this.sessionOf(ctx))
  }

  /**
   * Sets the cookie: the secret for the given session, valid for the
   * session age from now.
   */
  public static give(ctx: HttpContextContract, secret: string, session: string) {
    const given = { secret, session, expiresAt: Date.now() + this.ageMs }
    const value = `${secret}.${session}.${given.expiresAt.toString(36)}`
    ctx.response.cookie(this.cookieName, value, { maxAge: this.ageMs / 1000, httpOnly: true })
    return given
  }

  /**
   * The token the forms of this request's pages carry (`csrfField()`,
   * `csrfMeta()`), made the first time a page asks, from the browser's
   * secret or a new one. A request that renders no form stores nothing.
   */
  public static pageToken(ctx: HttpContextContract) {
    let page = pageTokens.get(ctx)
    if (page === undefined) {
      let secret = this.current(ctx)
      if (!secret || secret.expiresAt - Date.now() < this.ageMs / 2) {
        // None yet, or half its age gone: a page kept open is sent back
        // within a full session age.
        secret = secret ? this.give(ctx, secret.secret, secret.session) : this.draw(ctx)
      }
      page = { secret, token: this.token(secret) }
      pageTokens.set(ctx, page)
    }
    return page.token
  }

  /**
   * Keeps the secret with the session once the request is done (the
   * global middleware after the route, the exception handler after a
   * flash): a new id (`regenerate()`, `clear()`) gets a new secret, so
   * tokens from before stop working; a session this request starts takes
   * over the secret the visitor had before it, or the one this request's
   * page was given, so the form they have open still works. The cookie is
   * read only then.
   */
  public static followSession(ctx: HttpContextContract) {
    const { session } = ctx
    if (!session?.initiated) {
      return
    }
    if (session.regenerated) {
      if (this.held(ctx)) {
        this.draw(ctx)
      }
    } else if (session.fresh && startsSession(ctx)) {
      const held = this.held(ctx)
      const owner = this.sessionOf(ctx)
      if (held && held.session !== owner) {
        this.give(ctx, held.secret, owner)
      }
    }
  }

  /**
   * The secret the browser holds once this response arrives: the one a page
   * of this request was given, or the one the request came with.
   */
  private static held(ctx: HttpContextContract) {
    return pageTokens.get(ctx)?.secret ?? this.read(ctx)
  }

  /**
   * The session the secret belongs to, as the cookie writes it: a short
   * hash of the session id (the id itself stays in its own cookie), or
   * empty for a visitor without a session.
   */
  public static sessionOf(ctx: HttpContextContract) {
    const { session } = ctx
    if (!session?.initiated || (session.fresh && !startsSession(ctx))) {
      return ''
    }
    return createHash('sha256').update(session.sessionId).digest('base64url').slice(0, 16)
  }
}

/**
 * Whether a visitor without a session gets one with this request: it put a
 * value or flashed a message, which the commit will store.
 */
function startsSession({ session }: HttpContextContract) {
  return !session.responseFlashMessages.isEmpty || Object.keys(session.all()).length > 0
}
