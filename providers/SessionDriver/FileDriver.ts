import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { StoreDriver } from './StoreDriver'
import type { RecordUpdate } from './StoreDriver'
import type { SessionDriverOptions } from './types'

/**
 * Temporary files of writes in progress end with this; `session:prune`
 * removes the ones a crash left behind.
 */
export const TEMP_SUFFIX = '.tmp'

/**
 * A commit holds `<id>.lock` while it reads, merges and writes the session.
 */
export const LOCK_SUFFIX = '.lock'

/**
 * A lock older than this belongs to a process that died or hung mid-commit
 * (a commit takes milliseconds) and is broken.
 */
export const STALE_LOCK_MS = 2000

/**
 * How long a commit waits for the lock before the request gets the 503 page.
 */
const LOCK_WAIT_MS = 4000

const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/

/**
 * Keeps each session in `<location>/<session id>.txt`, like the stock file
 * driver, with these differences:
 *
 * - a commit takes an exclusive lock per session (`<id>.lock`, created with
 *   O_EXCL), reads the record as it is now, applies the request's change,
 *   writes a temporary file and renames it over the record: parallel requests
 *   keep each other's changes, and a reader never sees half a write. A lock
 *   left by a crashed process is broken after STALE_LOCK_MS, at once when its
 *   process is known to be gone;
 * - a record that is half-written, not JSON, past its expiry or written for
 *   another id reads as no session;
 * - the folder is 0700 and the files 0600: sessions are the visitors' data;
 * - the calls to the file system are synchronous: a session file is a few
 *   hundred bytes on a local disk, where each call takes microseconds, and
 *   the same call through libuv's thread pool costs several times that in
 *   hand-offs (a commit makes about a dozen). A folder on a network mount,
 *   which can stall, is not for this driver. Only the wait for a lock that
 *   another process holds gives way to other requests.
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
    const release = await this.lock(path)
    try {
      const next = update(this.read(sessionId))
      if (next === null) {
        rmSync(path, { force: true })
      } else {
        this.replace(path, next)
      }
    } finally {
      release()
    }
  }

  protected async remove(sessionId: string) {
    rmSync(this.pathOf(sessionId), { force: true })
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

  /**
   * Takes the session's lock, waiting (in steps of a few milliseconds) while
   * another process holds it. Resolves to the function that releases it.
   */
  private async lock(path: string) {
    const lockPath = `${path}${LOCK_SUFFIX}`
    const owner = `${process.pid} ${hostname()} ${randomBytes(4).toString('hex')}`
    const deadline = Date.now() + LOCK_WAIT_MS
    for (let attempt = 0; ; attempt++) {
      try {
        const takenAt = Date.now()
        this.create(lockPath, owner)
        return () => {
          // Only a lock older than STALE_LOCK_MS can have been broken and
          // taken by another process (this one is alive): a lock held for
          // less than half that is still this one's, without reading it.
          if (Date.now() - takenAt < STALE_LOCK_MS / 2 || readOrNull(lockPath) === owner) {
            rmSync(lockPath, { force: true })
          }
        }
      } catch (error) {
        if (error.code !== 'EEXIST') {
          throw error
        }
      }
      if (this.breakIfStale(lockPath)) {
        continue
      }
      if (Date.now() > deadline) {
        throw new Error(`the session lock ${lockPath} stayed taken`)
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(2 + attempt, 20)))
    }
  }

  /**
   * Removes a lock whose process is gone (same host, no such pid) or that is
   * older than STALE_LOCK_MS. The lock is renamed away first, so of two
   * processes breaking it only one succeeds; one that finds it renamed a
   * fresh lock instead (taken meanwhile) puts it back.
   */
  private breakIfStale(lockPath: string) {
    let info
    try {
      info = statSync(lockPath)
    } catch {}
    const owner = readOrNull(lockPath)
    if (!info || owner === null) {
      return true
    }
    if (!ownerIsGone(owner) && Date.now() - info.mtimeMs < STALE_LOCK_MS) {
      return false
    }
    const broken = `${lockPath}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`
    try {
      renameSync(lockPath, broken)
    } catch {
      return true // Another process broke it first, or its owner released it.
    }
    if ((readOrNull(broken) ?? owner) !== owner) {
      try {
        linkSync(broken, lockPath)
      } catch {}
    }
    rmSync(broken, { force: true })
    return true
  }
}

/**
 * A small file's text, or null when it cannot be read (gone meanwhile).
 */
function readOrNull(path: string) {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

/**
 * Whether the process named in a lock (`<pid> <host> <nonce>`) is known to
 * have died: only for locks of this host.
 */
function ownerIsGone(owner: string) {
  const [pid, host] = owner.split(' ')
  if (host !== hostname() || !/^\d+$/.test(pid)) {
    return false
  }
  try {
    process.kill(Number(pid), 0)
    return false
  } catch (error) {
    return error.code === 'ESRCH'
  }
}
