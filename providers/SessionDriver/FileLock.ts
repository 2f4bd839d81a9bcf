import { randomBytes } from 'node:crypto'
import { linkSync, readFileSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs'
import { hostname } from 'node:os'

/**
 * A commit holds `<session file>.lock` while it reads, merges and writes the
 * session.
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

/**
 * Marks the files a lock is renamed to while it is broken: the file
 * driver's sweep removes the ones a crash leaves behind.
 */
const BROKEN_SUFFIX = '.tmp'

/**
 * Names this process in its locks (`<pid> <host> <nonce>`); each lock adds
 * a count, so that a release tells its own lock from one taken after it
 * was broken. Made once: `randomBytes` takes about 6 µs a call.
 */
const OWNER = `${process.pid} ${hostname()} ${randomBytes(4).toString('hex')}`
let locksTaken = 0

/**
 * An exclusive lock per session file: `<path>.lock`, created with O_EXCL
 * (`create` is the file driver's, which makes the folder on first use). A
 * lock left by a crashed process is broken after STALE_LOCK_MS, at once when
 * its process is known to be gone.
 */
export class FileLock {
  /**
   * How long the last `take` waited, in milliseconds.
   */
  public waitedMs = 0

  constructor(
    private path: string,
    private create: (path: string, contents: string) => void
  ) {}

  /**
   * Takes the lock, waiting (in steps of a few milliseconds) while another
   * process holds it. Resolves to the function that releases it.
   */
  public async take() {
    const lockPath = `${this.path}${LOCK_SUFFIX}`
    const owner = `${OWNER}-${++locksTaken}`
    const started = Date.now()
    const deadline = started + LOCK_WAIT_MS
    let retried = false
    for (let attempt = 0; ; attempt++) {
      try {
        const takenAt = Date.now()
        this.create(lockPath, owner)
        this.waitedMs = takenAt - started
        return () => {
          // Only a lock older than STALE_LOCK_MS can have been broken and
          // taken by another process (this one is alive): a lock held for
          // less than half that is still this one's, without reading it.
          if (Date.now() - takenAt < STALE_LOCK_MS / 2 || readOrNull(lockPath) === owner) {
            unlinkIfThere(lockPath)
          }
        }
      } catch (error) {
        if (error.code !== 'EEXIST') {
          throw error
        }
      }
      if (Date.now() > deadline) {
        throw new Error(`the session lock ${lockPath} stayed taken`)
      }
      // A lock released or broken just now is taken at once; one that
      // stays unreadable (a folder in its place) must not spin the process.
      if (breakIfStale(lockPath) && !retried) {
        retried = true
        continue
      }
      retried = false
      await new Promise((resolve) => setTimeout(resolve, Math.min(2 + attempt, 20)))
    }
  }
}

/**
 * Removes a lock whose process is gone (same host, no such pid) or that is
 * older than STALE_LOCK_MS. The lock is renamed away first, so of two
 * processes breaking it only one succeeds; one that finds it renamed a
 * fresh lock instead (taken meanwhile) puts it back.
 */
function breakIfStale(lockPath: string) {
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
  const broken = `${lockPath}.${randomBytes(4).toString('hex')}${BROKEN_SUFFIX}`
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

/**
 * Removes a file unless it is gone already: `rmSync` with `force` does the
 * same at twice the cost.
 */
function unlinkIfThere(path: string) {
  try {
    unlinkSync(path)
  } catch (error) {
    if (error.code !== 'ENOENT') {
      throw error
    }
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
