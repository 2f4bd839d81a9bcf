import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Config from '@ioc:Adonis/Core/Config'
import type { SessionConfig } from '@ioc:Adonis/Addons/Session'
import SessionStore from 'App/Services/SessionStore'
import {
  ChunkedCookie,
  CookieSeal,
  LOCK_SUFFIX,
  REDIS_KEY_PREFIX,
  SESSIONS_TABLE,
  isEnded,
  packRecord,
} from '../../providers/SessionDriver'
import { openFileRecord, sealFileRecord } from '../../providers/SessionDriver/FileRecord'
import type { Visitor } from './visitor'

/**
 * Where each session driver keeps a visitor's session, read and changed in
 * the store itself, never through the app. This is the one module of the
 * tests that queries the stores and knows the cookie names, the file paths,
 * the Redis keys, the table and the record formats (the latter from the
 * drivers' own exports): when a driver changes, only this file follows.
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
    (name) => name.startsWith(`${sessionCookieName()}.`) && !ChunkedCookie.isLaterChunk(name)
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
 * The file driver's lock on a session, held while a commit writes it.
 */
export function lockFile(sessionId: string) {
  return `${sessionFile(sessionId)}${LOCK_SUFFIX}`
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
  return `${REDIS_KEY_PREFIX}${sessionId}`
}

/**
 * Every Redis key whose name holds the session id.
 */
export async function redisKeysNaming(sessionId: string) {
  return (await redis()).keys(`*${sessionId}*`)
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
 * A key cookie's value, its chunks put back together with the driver's codec.
 */
function keyCookieValue(visitor: Visitor, name: string) {
  const decoded: Record<string, string> = {}
  for (const [cookie, raw] of visitor.cookies) {
    if (ChunkedCookie.chunkOf(cookie).base === name) {
      decoded[cookie] = ChunkedCookie.decodeCookieValue(raw) ?? ''
    }
  }
  return ChunkedCookie.joinChunks(decoded, name) || ''
}

async function database() {
  const { default: Database } = await import('@ioc:Adonis/Lucid/Database')
  return Database
}

async function databaseRow(sessionId: string) {
  return (await database()).from(SESSIONS_TABLE).where('id', sessionId).first()
}

/**
 * The record as stored: the encrypted key cookies, the file's contents, the
 * Redis value or the table row's payload. Empty when there is none.
 */
export async function storedRecord(visitor: Visitor, sessionId: string): Promise<string> {
  if (driver === 'cookie') {
    return keyCookies(visitor)
      .map((name) => keyCookieValue(visitor, name))
      .join('\n')
  }
  return serverRecord(sessionId)
}

/**
 * What the file, redis or database driver stores under an id, or ''.
 */
async function serverRecord(sessionId: string): Promise<string> {
  switch (driver) {
    case 'file': {
      // The record after the file's first line (its length and hash).
      const file = existsSync(sessionFile(sessionId)) ? readFileSync(sessionFile(sessionId)) : null
      return file ? (openFileRecord(file) ?? file.toString()) : ''
    }
    case 'redis':
      return (await (await redis()).get(redisKey(sessionId))) || ''
    case 'database':
      return (await databaseRow(sessionId))?.payload || ''
    default:
      return ''
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
    default: {
      // An id that regenerate() or clear() ended keeps a marker, not a record.
      const stored = await storedRecord(visitor, sessionId)
      return stored !== '' && !isEnded(sessionId, stored)
    }
  }
}

/**
 * Whether the store holds the end marker that `regenerate()` and `clear()`
 * leave under the old id.
 */
export async function endMarkerExists(sessionId: string) {
  return isEnded(sessionId, await serverRecord(sessionId))
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
  const record = packRecord(sessionId, stored.values, stored.expiresAt)
  switch (driver) {
    case 'file':
      writeFileSync(sessionFile(sessionId), sealFileRecord(record))
      return
    case 'database':
      await (
        await database()
      )
        .from(SESSIONS_TABLE)
        .where('id', sessionId)
        .update({ payload: record, expires_at: stored.expiresAt })
      return
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
 * How many session records the store holds: files, Redis keys or rows, end
 * markers included. The cookie driver keeps none on the server.
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
      const [{ total }] = await (await database()).from(SESSIONS_TABLE).count('* as total')
      return Number(total)
    }
    default:
      return 0
  }
}

/**
 * What the store holds on the server, in bytes: every file of the session
 * folder, the memory of every Redis key (sessions and the rate limiter's
 * counts), or the payloads of the sessions table. The cookie driver keeps
 * nothing on the server: what it stores travels in the visitor's cookie jar.
 */
export async function storedBytesInAll() {
  switch (driver) {
    case 'file': {
      const folder = config().file!.location
      let bytes = 0
      for (const name of existsSync(folder) ? readdirSync(folder) : []) {
        bytes += statSync(join(folder, name), { throwIfNoEntry: false })?.size ?? 0
      }
      return bytes
    }
    case 'redis': {
      const connection = await redis()
      let bytes = 0
      for (const key of await connection.keys('*')) {
        bytes += Number(await connection.call('memory', 'usage', key)) || 0
      }
      return bytes
    }
    case 'database': {
      const [{ bytes }] = await (
        await database()
      )
        .from(SESSIONS_TABLE)
        .sum({ bytes: (await database()).raw('length(payload)') })
      return Number(bytes) || 0
    }
    default:
      return 0
  }
}

/**
 * Adds a row to the sessions table as a store left by an earlier run would
 * hold it (the database driver only).
 */
export async function insertSessionRow(id: string, payload: string, expiresAt: number) {
  await (await database()).table(SESSIONS_TABLE).insert({ id, payload, expires_at: expiresAt })
}

/**
 * Replaces a row's payload and expiry (the database driver only).
 */
export async function updateSessionRow(id: string, payload: string, expiresAt: number) {
  await (
    await database()
  )
    .from(SESSIONS_TABLE)
    .where('id', id)
    .update({ payload, expires_at: expiresAt })
}

/**
 * The sessions table's row for an id (the database driver only), or null.
 */
export async function sessionRow(id: string) {
  return (await databaseRow(id)) ?? null
}
