import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SessionConfig } from '@ioc:Adonis/Addons/Session'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import { StoreDriver, packOrShed, packRecord, sessionAgeMs } from './StoreDriver'

/**
 * Session ids are cuids from a signed cookie; anything else never becomes a
 * file name.
 */
const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/

/**
 * Temporary files of writes in progress end with this; `session:prune`
 * removes the ones a crash left behind.
 */
export const TEMP_SUFFIX = '.tmp'

/**
 * Keeps each session in `<location>/<session id>.txt`, like the stock file
 * driver, with three differences:
 *
 * - a write goes to a temporary file that is then renamed over the session
 *   file, so a reader sees the old or the new session, never half of one
 *   (the stock driver truncates and rewrites in place, and parallel requests
 *   read half-written JSON and answer 500);
 * - a file that is half-written, not JSON or past its expiry reads as an
 *   empty session;
 * - the record carries an expiry, so a session id replayed after the session
 *   age finds nothing. `node ace session:prune` and the app's own sweep
 *   delete the old files;
 * - old input that cannot be serialized is left out with a note (packOrShed).
 *
 * When two requests write the same session, the last rename wins.
 */
export class FileDriver extends StoreDriver {
  private location: string
  private ageMs: number

  constructor(
    config: SessionConfig,
    private ctx: HttpContextContract
  ) {
    super('file')
    this.location = config.file!.location
    this.ageMs = sessionAgeMs(config)
  }

  public read(sessionId: string) {
    return this.guard(async () => {
      const path = this.pathOf(sessionId)
      if (!path) {
        return null
      }
      try {
        return this.unpack(sessionId, await readFile(path, 'utf8'))
      } catch (error) {
        if (error.code === 'ENOENT') {
          return null
        }
        throw error
      }
    }, null)
  }

  public write(sessionId: string, values: Record<string, any>) {
    const path = this.pathOf(sessionId)
    if (!path || this.unchanged(values, this.ageMs)) {
      return Promise.resolve()
    }
    const record = this.record(sessionId, values)
    return this.guard(async () => {
      const temp = `${path}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`
      try {
        await this.writeTemp(temp, record)
        await rename(temp, path)
      } catch (error) {
        await rm(temp, { force: true }).catch(() => {})
        throw error
      }
    }, undefined)
  }

  public destroy(sessionId: string) {
    return this.guard(async () => {
      const path = this.pathOf(sessionId)
      if (path) {
        await rm(path, { force: true })
      }
    }, undefined)
  }

  /**
   * Rewrites the session so its expiry (and the file's age) starts again.
   */
  public async touch(sessionId: string) {
    const values = await this.read(sessionId)
    if (values) {
      await this.write(sessionId, values)
    }
  }

  private record(sessionId: string, values: Record<string, any>) {
    return packOrShed(
      values,
      () => this.ctx.i18n.formatMessage('messages.errors.inputTooLong'),
      (kept) => packRecord(sessionId, kept, this.ageMs)
    )
  }

  private pathOf(sessionId: string) {
    return SESSION_ID.test(sessionId) ? join(this.location, `${sessionId}.txt`) : null
  }

  /**
   * Creates the session folder on first use (or after someone removed it).
   */
  private async writeTemp(temp: string, contents: string) {
    try {
      await writeFile(temp, contents, { flag: 'wx' })
    } catch (error) {
      if (error.code !== 'ENOENT') {
        throw error
      }
      await mkdir(this.location, { recursive: true })
      await writeFile(temp, contents, { flag: 'wx' })
    }
  }
}
