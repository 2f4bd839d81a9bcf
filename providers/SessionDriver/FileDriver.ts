import { randomBytes } from 'node:crypto'
import { chmod, link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
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
 * - the folder is 0700 and the files 0600: sessions are the visitors' data.
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
  public async prepare() {
    await mkdir(this.location, { recursive: true, mode: 0o700 })
    await chmod(this.location, 0o700)
  }

  protected async fetch(sessionId: string) {
    try {
      return await readFile(this.pathOf(sessionId), 'utf8')
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
      const next = update(await this.fetch(sessionId))
      if (next === null) {
        await rm(path, { force: true })
      } else {
        await this.replace(path, next)
      }
    } finally {
      await release()
    }
  }

  protected async remove(sessionId: string) {
    await rm(this.pathOf(sessionId), { force: true })
  }

  private pathOf(sessionId: string) {
    if (!SESSION_ID.test(sessionId)) {
      throw new Error('not a session id')
    }
    return join(this.location, `${sessionId}.txt`)
  }

  private async replace(path: string, contents: string) {
    const temp = `${path}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`
    try {
      await this.create(temp, contents)
      await rename(temp, path)
    } catch (error) {
      await rm(temp, { force: true }).catch(() => {})
      throw error
    }
  }

  /**
   * Creates a file that must not exist yet, and the session folder on first
   * use (or after someone removed it).
   */
  private async create(path: string, contents: string) {
    try {
      await writeFile(path, contents, { flag: 'wx', mode: 0o600 })
    } catch (error) {
      if (error.code !== 'ENOENT') {
        throw error
      }
      await this.prepare()
      await writeFile(path, contents, { flag: 'wx', mode: 0o600 })
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
        await this.create(lockPath, owner)
        return async () => {
          // Only a lock older than STALE_LOCK_MS can have been broken and
          // taken by another process (this one is alive): a lock held for
          // less than half that is still this one's, without reading it.
          if (
            Date.now() - takenAt < STALE_LOCK_MS / 2 ||
            (await readFile(lockPath, 'utf8').catch(() => null)) === owner
          ) {
            await rm(lockPath, { force: true })
          }
        }
      } catch (error) {
        if (error.code !== 'EEXIST') {
          throw error
        }
      }
      if (await this.breakIfStale(lockPath)) {
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
  private async breakIfStale(lockPath: string) {
    const [info, owner] = await Promise.all([
      stat(lockPath).catch(() => null),
      readFile(lockPath, 'utf8').catch(() => null),
    ])
    if (!info || owner === null) {
      return true
    }
    if (!ownerIsGone(owner) && Date.now() - info.mtimeMs < STALE_LOCK_MS) {
      return false
    }
    const broken = `${lockPath}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`
    try {
      await rename(lockPath, broken)
    } catch {
      return true // Another process broke it first, or its owner released it.
    }
    if ((await readFile(broken, 'utf8').catch(() => owner)) !== owner) {
      await link(broken, lockPath).catch(() => {})
    }
    await rm(broken, { force: true })
    return true
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
