import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Config from '@ioc:Adonis/Core/Config'
import type { SessionConfig } from '@ioc:Adonis/Addons/Session'
import SessionStore from 'App/Services/SessionStore'
import { CookieSeal } from '../../providers/SessionDriver'
import type { Visitor } from './visitor'

/**
 * Where each session driver keeps a visitor's session, read and changed in
 * the store itself, never through the app. This is the one module of the
 * tests that knows the cookie names, the file paths, the Redis keys and the
 * record formats: when a driver changes, only this file follows.
 */

/**
 * The driver of this run (SESSION_DRIVER, set by bin/test.js).
 */
export const driver = SessionStore.driver

export type StoredSession = { values: Record<string, any>; expiresAt: number }

/**
 * What seals the cookie driver's key cookies, with this app's APP_KEY.
 */
export const cookieSeal = new CookieSeal(Config.get('app.appKey'))

function config(): SessionConfig {
  return Config.get('session')
}

/**
 * The name of the cookie that carries the signed session id.
 */
export function sessionCookieName() {
  return config().cookieName
}

/**
 * The cookie driver's cookies: one per top-level session key, named after
 * the id cookie (`adonis-session.userLanguage`), each split over
 * `<name>~2`, `<name>~3`... when it passes one cookie's size.
 */
export function keyCookieName(key: string) {
  return `${sessionCookieName()}.${key}`
}

/**
 * The names of the cookie driver's key cookies the visitor holds, chunks
 * left out.
 */
export function keyCookies(visitor: Visitor) {
  return [...visitor.cookies.keys()].filter(
    (name) => name.startsWith(`${sessionCookieName()}.`) && !name.includes('~')
  )
}

/**
 * The cookies a browser holds for a session: the id, and with the cookie
 * driver one per key.
 */
export function sessionCookieNames(visitor: Visitor) {
  return [sessionCookieName(), ...(driver === 'cookie' ? keyCookies(visitor) : [])]
}

/**
 * The file driver's file for a session.
 */
export function sessionFile(sessionId: string) {
  return join(config().file!.location, `${sessionId}.txt`)
}

/**
 * The temporary files of the file driver's writes for a session: none
 * should outlive a request.
 */
export function temporaryFiles(sessionId: string) {
  return readdirSync(config().file!.location).filter(
    (name) => name.startsWith(`${sessionId}.txt.`) && name.endsWith('.tmp')
  )
}

/**
 * The redis driver's key for a session.
 */
export function redisKey(sessionId: string) {
  return `session:${sessionId}`
}

/**
 * The Redis connection of the redis driver. Redis is only imported for it:
 * with the other drivers the app never connects, and tests check that.
 */
export async function redis() {
  const { default: Redis } = await import('@ioc:Adonis/Addons/Redis')
  return Redis.connection(config().redisConnection as any)
}

/**
 * A key cookie's value, its chunks put back together.
 */
function keyCookieValue(visitor: Visitor, name: string) {
  const first = decodeURIComponent(visitor.cookies.get(name) || '')
  const chunked = /^(\d+)~(.*)$/s.exec(first)
  if (!chunked) {
    return first
  }
  let value = chunked[2]
  for (let index = 2; index <= Number(chunked[1]); index++) {
    value += decodeURIComponent(visitor.cookies.get(`${name}~${index}`) || '')
  }
  return value
}

async function databaseRow(sessionId: string) {
  const { default: Database } = await import('@ioc:Adonis/Lucid/Database')
  return Database.from('sessions').where('id', sessionId).first()
}

/**
 * The record as stored: the encrypted key cookies, the file's contents, the
 * Redis value or the table row's payload. Empty when there is none.
 */
export async function storedRecord(visitor: Visitor, sessionId: string): Promise<string> {
  switch (driver) {
    case 'cookie':
      return keyCookies(visitor)
        .map((name) => keyCookieValue(visitor, name))
        .join('\n')
    case 'file':
      return existsSync(sessionFile(sessionId)) ? readFileSync(sessionFile(sessionId), 'utf8') : ''
    case 'redis':
      return (await (await redis()).get(redisKey(sessionId))) || ''
    case 'database':
      return (await databaseRow(sessionId))?.payload || ''
  }
}

/**
 * Whether the store still has a record for the session.
 */
export async function recordExists(visitor: Visitor, sessionId: string) {
  switch (driver) {
    case 'cookie':
      // The key cookies name the session they belong to.
      return keyCookies(visitor).some(
        (name) => cookieSeal.open<any>(keyCookieValue(visitor, name), name)?.s === sessionId
      )
    case 'file':
      return existsSync(sessionFile(sessionId))
    case 'redis':
      return (await (await redis()).exists(redisKey(sessionId))) === 1
    case 'database':
      return !!(await databaseRow(sessionId))
  }
}

/**
 * The session's values and expiry, read and decrypted from the store.
 */
export async function storedSession(visitor: Visitor, sessionId: string): Promise<StoredSession> {
  if (driver === 'cookie') {
    const values: Record<string, any> = {}
    let expiresAt = Infinity
    for (const name of keyCookies(visitor)) {
      const payload = cookieSeal.open<any>(keyCookieValue(visitor, name), name)
      values[name.slice(sessionCookieName().length + 1)] = payload.v
      expiresAt = Math.min(expiresAt, payload.e)
    }
    return { values, expiresAt }
  }
  const record = JSON.parse(await storedRecord(visitor, sessionId))
  return { values: record.message, expiresAt: Date.parse(record.expiryDate) }
}

/**
 * Writes the session back into the store with other values or expiry, as
 * an attacker who can write the store, or time passing, would.
 */
export async function storeSession(visitor: Visitor, sessionId: string, stored: StoredSession) {
  if (driver === 'cookie') {
    for (const name of keyCookies(visitor)) visitor.cookies.delete(name)
    for (const [key, value] of Object.entries(stored.values)) {
      const name = keyCookieName(key)
      const payload = { s: sessionId, e: stored.expiresAt, v: value }
      visitor.cookies.set(name, cookieSeal.seal(payload, name))
    }
    return
  }
  const record = JSON.stringify({
    message: stored.values,
    purpose: sessionId,
    expiryDate: new Date(stored.expiresAt),
  })
  switch (driver) {
    case 'file':
      writeFileSync(sessionFile(sessionId), record)
      return
    case 'database': {
      const { default: Database } = await import('@ioc:Adonis/Lucid/Database')
      await Database.from('sessions')
        .where('id', sessionId)
        .update({ payload: record, expires_at: stored.expiresAt })
      return
    }
  }
  // The key expires with the session, as the driver's TTL does: at once
  // when that moment has passed.
  const connection = await redis()
  await connection.set(redisKey(sessionId), record)
  await connection.pexpireat(redisKey(sessionId), stored.expiresAt)
}

/**
 * The size in bytes of what the server stores for the session (file, Redis
 * value or row payload); the cookie driver stores nothing on the server.
 */
export async function storedBytes(sessionId: string) {
  switch (driver) {
    case 'file':
      return statSync(sessionFile(sessionId)).size
    case 'redis':
      return (await redis()).strlen(redisKey(sessionId))
    case 'database':
      return Buffer.byteLength((await databaseRow(sessionId))?.payload || '')
    default:
      return 0
  }
}

/**
 * How long the store keeps the session, in seconds: the Redis key's TTL.
 */
export async function redisTtl(sessionId: string) {
  return (await redis()).ttl(redisKey(sessionId))
}

/**
 * How many session records the store holds: files, Redis keys or rows. The
 * cookie driver keeps none on the server.
 */
export async function storedSessionCount() {
  switch (driver) {
    case 'file': {
      const folder = config().file!.location
      return existsSync(folder)
        ? readdirSync(folder).filter((name) => name.endsWith('.txt')).length
        : 0
    }
    case 'redis':
      return (await (await redis()).keys(redisKey('*'))).length
    case 'database': {
      const { default: Database } = await import('@ioc:Adonis/Lucid/Database')
      const [{ total }] = await Database.from('sessions').count('* as total')
      return Number(total)
    }
    default:
      return 0
  }
}
