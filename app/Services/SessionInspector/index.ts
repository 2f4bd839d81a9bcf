import SessionStore from 'App/Services/SessionStore'
import CookieStorage from './CookieStorage'
import DatabaseStorage from './DatabaseStorage'
import FileStorage from './FileStorage'
import RedisStorage from './RedisStorage'
import type { StorageProbe } from './Storage'

export { default as FlashDemo } from './FlashDemo'
export { default as Mask } from './Mask'
export { default as Regeneration } from './Regeneration'
export { default as RaceDemo } from './RaceDemo'

const probes = {
  cookie: CookieStorage,
  file: FileStorage,
  redis: RedisStorage,
  database: DatabaseStorage,
}

export type Storage = Awaited<ReturnType<(typeof probes)[keyof typeof probes]['inspect']>>

/**
 * The storage probe of the active driver. Redis is only asked by the redis
 * probe, so the other drivers never open a connection.
 */
export function storageProbe(): StorageProbe<Storage> {
  return probes[SessionStore.driver]
}
