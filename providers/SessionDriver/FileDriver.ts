import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { opendir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { isEnded } from './Change'
import { FileLock, LOCK_SUFFIX, STALE_LOCK_MS } from './FileLock'
import { openFileRecord, overwrite, readOrNull, sealFileRecord, settledRecord } from './FileRecord'
import { StoreDriver } from './StoreDriver'
import type { RecordUpdate } from './StoreDriver'
import type { PruneResult, SessionDriverOptions, StoredRecord } from './types'

/**
 * Leftovers that end with this: the temporary files of earlier versions of
 * this driver, which renamed a temporary file over the record, and the
 * locks FileLock renames away as it breaks them. The sweep removes them.
 */
const TEMP_SUFFIX = '.tmp'

/**
 * A leftover this old belongs to a write or a lock break that never
 * finished (its process died).
 */
const STALE_TEMP_MS = 60_000

const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/

/**
 * Keeps each session in `<location>/<session id>.txt`, like the stock file
 * driver, with these differences:
 *
 * - a commit takes an exclusive lock per session (FileLock), reads the
 *   record as it is now, applies the request's change and writes the result
 *   over the file: parallel requests keep each other's changes;
 * - the file is written in place and never emptied: open, write from the
 *   start, cut to the new length (FileRecord's `overwrite`). Renaming a file
 *   over the record, or truncating it to zero, makes ext4 (`auto_da_alloc`)
 *   write the data out at once while the process waits: 211 µs a write,
 *   against 14 µs in place. A new record is created with O_EXCL;
 * - readers take no lock, so the file starts with a line that gives the
 *   record's length and hash (FileRecord): a reader that meets a record
 *   mid-write finds that it does not check out, waits for the lock and reads
 *   again. A record that still does not check out (garbage, a crash
 *   mid-write), one past its expiry and one written for another id read as
 *   no session. A plain JSON record of an earlier version is taken as it is
 *   when it is a valid record of its session;
 * - the folder is 0700 and the files 0600: sessions are the visitors' data;
 * - the calls to the file system are synchronous: a session file is a few
 *   hundred bytes on a local disk, where each call takes microseconds, and
 *   the same call through libuv's thread pool costs several times that in
 *   hand-offs. A folder on a network mount, which can stall, is not for this
 *   driver. Only the wait for a lock that another process holds gives way to
 *   other requests, and the sweep (`prune`), which reads the folder as a
 *   stream.
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

  /**
   * The record, read without the lock. One that does not check out may be
   * mid-write: it is read again under the lock, once the writer is done.
   */
  protected async fetch(sessionId: string) {
    const path = this.pathOf(sessionId)
    const file = readOrNull(path)
    const record = file && openFileRecord(file)
    if (file === null || record !== null) {
      return record
    }
    const release = await this.lock(path).take()
    try {
      return settledRecord(sessionId, readOrNull(path))
    } finally {
      release()
    }
  }

  protected async update(sessionId: string, update: RecordUpdate) {
    const path = this.pathOf(sessionId)
    const lock = this.lock(path)
    const release = await lock.take()
    update.lockWaitMs = lock.waitedMs
    try {
      const file = readOrNull(path)
      const next = update.next(settledRecord(sessionId, file))
      if (next === null) {
        rmSync(path, { force: true })
      } else {
        const data = sealFileRecord(next)
        if (file === null || !overwrite(path, data)) {
          this.create(path, data)
        }
      }
    } finally {
      release()
    }
  }

  private lock(path: string) {
    return new FileLock(path, (file, contents) => this.create(file, contents))
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
   * write), the locks of commits that never finished, and the leftovers of
   * lock breaks and of earlier versions' writes (TEMP_SUFFIX). The folder
   * is read as a stream: a flood of sessions must not become one listing in
   * memory.
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
    const record = info && (await this.fetch(sessionId))
    const ended = isEnded(sessionId, record)
    const stored = !!record && !ended
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

  /**
   * Creates a file that must not exist yet, and the session folder on first
   * use (or after someone removed it).
   */
  private create(path: string, contents: string | Buffer) {
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
