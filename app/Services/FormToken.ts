import { randomBytes } from 'node:crypto'
import type { SessionContract } from '@ioc:Adonis/Addons/Session'
import SessionStore from 'App/Services/SessionStore'

/**
 * What the session keeps per token: when the form was rendered, and when it
 * was sent, once it was.
 */
type Entry = { issuedAt: number; sentAt?: number }

export type TokenState = 'open' | 'sent' | 'unknown'

/**
 * One-time tokens that make a form be stored once however often it is sent
 * (the Back button, then Publish again). Each rendered form gets a token of
 * its own under its own session key, `forms.<token>`, not in one shared
 * list, so two tabs opening a form at the same time change different keys
 * and a session store that merges changes key by key keeps both. (Where the
 * last whole-session write wins, a lost token only sends that form back with
 * its text.) The session keeps the last few, for at most the session age.
 */
export default class FormToken {
  /** The form field that carries the token. */
  public static field = '_form'

  /** How many tokens a session keeps: one per open tab, a few tabs at most. */
  public static maxKept = 10

  /** Where the session keeps the tokens, one key below it per token. */
  public static sessionKey = 'forms'

  /**
   * A token for a form about to be rendered. Expired tokens are dropped, and
   * the oldest ones past `maxKept`, each by its own key too.
   */
  public static issue(session: SessionContract, now = Date.now()) {
    const newestFirst = Object.entries(this.entries(session)).sort(
      ([, a], [, b]) => b.issuedAt - a.issuedAt
    )
    newestFirst.forEach(([token, entry], index) => {
      if (index >= this.maxKept - 1 || now - entry.issuedAt >= SessionStore.ageMs) {
        session.forget(`${this.sessionKey}.${token}`)
      }
    })

    const token = randomBytes(16).toString('base64url')
    session.put(`${this.sessionKey}.${token}`, { issuedAt: now })
    return token
  }

  /**
   * `open` for a token this session issued and that was not sent yet, `sent`
   * for one already used, `unknown` for anything else (expired, dropped,
   * made up, not a string).
   */
  public static state(session: SessionContract, token: unknown, now = Date.now()): TokenState {
    const entry = typeof token === 'string' ? this.entries(session)[token] : undefined
    if (!entry || now - entry.issuedAt >= SessionStore.ageMs) {
      return 'unknown'
    }
    return entry.sentAt ? 'sent' : 'open'
  }

  public static markSent(session: SessionContract, token: string, now = Date.now()) {
    session.put(`${this.sessionKey}.${token}.sentAt`, now)
  }

  private static entries(session: SessionContract): Record<string, Entry> {
    const entries = session.get(this.sessionKey)
    return entries && typeof entries === 'object' ? entries : {}
  }
}
