import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { opendir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { isEnded } from './Change'
import { FileLock, LOCK_SUFFIX, STALE_LOCK_MS } from './FileLock'
import { StoreDriver } from './StoreDriver'
import type { RecordUpdate } from './StoreDriver'
import type { PruneResult, SessionDriverOptions, StoredRecord } from './types'

/**
 * Temporary files of writes in progress end with this; the sweep removes the
 * ones a crash left behind.
 */
export const TEMP_SUFFIX = '.tmp'

/**
 * A temporary file this old belongs to a write that never finished (the
 * process died between write and rename).
 */
const STALE_TEMP_MS = 60_000

const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/

/**
 * Keeps each session in `<location>/<session id>.txt`, like the stock file
 * driver, with these differences:
 *
 * - a commit takes an exclusive lock per session (FileLock), reads the
 *   record as it is now, applies the request's change, writes a temporary
 *   file and renames it over the record: parallel requests keep each other's
 *   changes, and a reader never sees half a write;
 * - a record that is half-written, not JSON, past its expiry or written for
 *   another id reads as no session;
 * - the folder is 0700 and the files 0600: sessions are the visitors' data;
 * - the calls to the file system are synchronous: a session file is a few
 *   hundred bytes on a local disk, where each call takes microseconds, and
 *   the same call through libuv's thread pool costs several times that in
 *   hand-offs (a commit makes about a dozen). A folder on a network mount,
 *   which can stall, is not for this driver. Only the wait for a lock that
 *   another process holds gives way to other requests, and the sweep
 *   (`prune`), which reads the folder as a stream.
 */
export class FileDriver extends StoreDriver {
  constructor(
    private location: string,
    options: SessionDriverOptions
  ) {
    super('file', options)
  }

  /**
   * Creates the session folder, or narrows an existing one, to 0700.
   */
  public prepare() {
    mkdirSync(this.location, { recursive: true, mode: 0o700 })
    chmodSync(this.location, 0o700)
  }

  protected async fetch(sessionId: string) {
    return this.read(sessionId)
  }

  private read(sessionId: string) {
    try {
      return readFileSync(this.pathOf(sessionId), 'utf8')
    } catch (error) {
      if (error.code === 'ENOENT') {
        return null
      }
      throw error
    }
  }

  protected async update(sessionId: string, update: RecordUpdate) {
    const path = this.pathOf(sessionId)
    const lock = new FileLock(path, (file, contents) => this.create(file, contents))
    const release = await lock.take()
    update.lockWaitMs = lock.waitedMs
    try {
      const next = update.next(this.read(sessionId))
      if (next === null) {
        rmSync(path, { force: true })
      } else {
        this.replace(path, next)
      }
    } finally {
      release()
    }
  }

  /**
   * The folder can be writable and still take no new file (a full disk, no
   * inodes left): create one, as a new session would.
   */
  public async check() {
    const probe = join(this.location, `.health-${process.pid}-${randomBytes(4).toString('hex')}`)
    try {
      this.create(probe, 'ok')
    } finally {
      rmSync(probe, { force: true })
    }
  }

  /**
   * Deletes the session files older than the session age (every write gives
   * the record a new expiry, so a file's modification time is its last
   * write), the temporary files of writes that never finished and the locks
   * of commits that never finished. The folder is read as a stream: a flood
   * of sessions must not become one listing in memory.
   */
  public async prune(now = Date.now()): Promise<PruneResult> {
    const result: PruneResult = { removed: 0, kept: 0 }
    let folder
    try {
      folder = await opendir(this.location, { bufferSize: 256 })
    } catch (error) {
      if (error.code === 'ENOENT') {
        return result
      }
      throw error
    }
    for await (const entry of folder) {
      const isSession = entry.name.endsWith('.txt')
      const maxAge = isSession ? this.options.ageMs : leftoverAge(entry.name)
      if (maxAge === null) {
        continue
      }
      const path = join(this.location, entry.name)
      try {
        if (now - (await stat(path)).mtimeMs > maxAge) {
          await rm(path, { force: true })
          if (isSession) result.removed++
        } else if (isSession) {
          result.kept++
        }
      } catch (error) {
        // Renamed or removed by a request meanwhile: nothing left to prune.
        if (error.code !== 'ENOENT') {
          throw error
        }
      }
    }
    return result
  }

  public async describe(sessionId: string): Promise<StoredRecord> {
    const where = this.pathOf(sessionId)
    const info = await stat(where).catch(() => null)
    const ended = isEnded(sessionId, info ? this.read(sessionId) : null)
    const stored = !!info?.size && !ended
    return {
      where,
      stored,
      ended,
      bytes: stored ? info!.size : 0,
      writtenAt: stored ? info!.mtime : undefined,
    }
  }

  private pathOf(sessionId: string) {
    if (!SESSION_ID.test(sessionId)) {
      throw new Error('not a session id')
    }
    return join(this.location, `${sessionId}.txt`)
  }

  private replace(path: string, contents: string) {
    const temp = `${path}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`
    try {
      this.create(temp, contents)
      renameSync(temp, path)
    } catch (error) {
      try {
        rmSync(temp, { force: true })
      } catch {}
      throw error
    }
  }

  /**
   * Creates a file that must not exist yet, and the session folder on first
   * use (or after someone removed it).
   */
  private create(path: string, contents: string) {
    try {
      writeFileSync(path, contents, { flag: 'wx', mode: 0o600 })
    } catch (error) {
      if (error.code !== 'ENOENT') {
        throw error
      }
      this.prepare()
      writeFileSync(path, contents, { flag: 'wx', mode: 0o600 })
    }
  }
}

/**
 * How old a leftover file may grow before the sweep removes it; null for a
 * file that is not the driver's.
 */
function leftoverAge(name: string) {
  if (name.endsWith(TEMP_SUFFIX)) return STALE_TEMP_MS
  if (name.endsWith(LOCK_SUFFIX)) return STALE_LOCK_MS
  return null
}
