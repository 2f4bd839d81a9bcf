import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Config from '@ioc:Adonis/Core/Config'
import CookieClient from '@ioc:Adonis/Core/CookieClient'
import type { SessionConfig } from '@ioc:Adonis/Addons/Session'
import SessionStore from 'App/Services/SessionStore'
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
 * The cookie driver's cookie that carries the encrypted values.
 */
export function valuesCookieName(sessionId: string) {
  return sessionId
}

/**
 * The cookies a browser holds for a session: the id, and with the cookie
 * driver the values.
 */
export function sessionCookieNames(sessionId: string) {
  return driver === 'cookie'
    ? [sessionCookieName(), valuesCookieName(sessionId)]
    : [sessionCookieName()]
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
  return sessionId
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
 * The cookie driver's payload, as the visitor's cookie carries it.
 */
function payloadCookie(visitor: Visitor, sessionId: string) {
  return decodeURIComponent(visitor.cookies.get(valuesCookieName(sessionId)) || '')
}

/**
 * The record as stored: the encrypted payload cookie, the file's contents,
 * or the Redis value. Empty when there is none.
 */
export async function storedRecord(visitor: Visitor, sessionId: string): Promise<string> {
  switch (driver) {
    case 'cookie':
      return payloadCookie(visitor, sessionId)
    case 'file':
      return existsSync(sessionFile(sessionId)) ? readFileSync(sessionFile(sessionId), 'utf8') : ''
    case 'redis':
      return (await (await redis()).get(redisKey(sessionId))) || ''
  }
}

/**
 * Whether the store still has a record for the session.
 */
export async function recordExists(visitor: Visitor, sessionId: string) {
  switch (driver) {
    case 'cookie':
      return visitor.cookies.has(valuesCookieName(sessionId))
    case 'file':
      return existsSync(sessionFile(sessionId))
    case 'redis':
      return (await (await redis()).exists(redisKey(sessionId))) === 1
  }
}

/**
 * The session's values and expiry, read and decrypted from the store.
 */
export async function storedSession(visitor: Visitor, sessionId: string): Promise<StoredSession> {
  if (driver === 'cookie') {
    return CookieClient.decrypt(valuesCookieName(sessionId), payloadCookie(visitor, sessionId))
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
    const name = valuesCookieName(sessionId)
    visitor.cookies.set(name, CookieClient.encrypt(name, stored)!)
    return
  }
  const record = JSON.stringify({
    message: stored.values,
    purpose: sessionId,
    expiryDate: new Date(stored.expiresAt),
  })
  if (driver === 'file') {
    writeFileSync(sessionFile(sessionId), record)
    return
  }
  // The key expires with the session, as the driver's TTL does: at once
  // when that moment has passed.
  const connection = await redis()
  await connection.set(redisKey(sessionId), record)
  await connection.pexpireat(redisKey(sessionId), stored.expiresAt)
}

/**
 * The size in bytes of what the server stores for the session (file or
 * Redis value); the cookie driver stores nothing on the server.
 */
export async function storedBytes(sessionId: string) {
  switch (driver) {
    case 'file':
      return statSync(sessionFile(sessionId)).size
    case 'redis':
      return (await redis()).strlen(redisKey(sessionId))
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
