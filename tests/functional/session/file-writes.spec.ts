import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import {
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { AppProcess } from '../../../support/app_process'
import { until } from '../../../support/poll'
import { packRecord } from '../../../providers/SessionDriver'
import { openFileRecord, sealFileRecord } from '../../../providers/SessionDriver/FileRecord'
import { FRENCH, ITALIAN, NOT_SET, currentLanguage } from '../../helpers/language'
import { driver, lockFile, sessionFile, storedSession } from '../../helpers/session_store'
import { Visitor } from '../../helpers/visitor'

const FILE_ONLY = 'only the file driver writes session files'

/**
 * A visitor who chose French, their session file, and that file's bytes
 * rewritten by a commit that switches to Italian, as the driver writes them.
 */
async function frenchVisitor(visitor = new Visitor()) {
  await visitor.get('/language/fr')
  const sessionId = visitor.sessionId()!
  const file = sessionFile(sessionId)
  const { values, expiresAt } = await storedSession(visitor, sessionId)
  const italian = sealFileRecord(
    packRecord(sessionId, { ...values, userLanguage: 'it' }, expiresAt)
  )
  return { visitor, sessionId, file, french: readFileSync(file), italian }
}

/**
 * What a reader can meet halfway through an in-place write of a record of
 * the same length: the new record up to the first byte where it differs
 * from the old one, then the old one. The JSON after the first line is the
 * old record, whole and valid: only the first line's hash tells that the
 * file is not what it says.
 */
function torn(next: Buffer, old: Buffer) {
  let cut = next.indexOf('\n') + 1
  while (next[cut] === old[cut]) cut++
  return Buffer.concat([next.subarray(0, cut), old.subarray(cut)])
}

test.group('Session files written in place (file driver)', () => {
  test('a switch rewrites the session file in place, not a new file', async ({ assert }) => {
    const { visitor, file } = await frenchVisitor()
    const before = statSync(file).ino

    const page = await visitor.get('/language/it')

    assert.equal(currentLanguage(page.html), ITALIAN)
    assert.equal(statSync(file).ino, before)
    assert.isNotNull(openFileRecord(readFileSync(file)), 'the file checks out')
  }).skip(driver !== 'file', FILE_ONLY)

  test('a session file read mid-write is read again once the writer is done', async ({
    assert,
    cleanup,
  }) => {
    // An app of its own: this process plays the writer, and runs while the
    // app is blocked reading the session file, a FIFO that tells when the
    // app reads it.
    const app = await AppProcess.start()
    cleanup(() => app.kill())
    const { visitor, sessionId, file, french, italian } = await frenchVisitor(new Visitor(app.url))
    rmSync(file)
    execFileSync('mkfifo', ['-m', '600', file])
    cleanup(() => rmSync(file, { force: true }))

    const page = visitor.get('/')
    // The FIFO opens for writing once the app opens it to read the session.
    const fifo = await until(() => openForWriting(file), {
      intervalMs: 5,
      message: 'the app to read the session file',
    })
    // A writer holds the lock, as the driver does, and is halfway through.
    writeFileSync(lockFile(sessionId), `${process.pid} ${hostname()} writer`, { flag: 'wx' })
    cleanup(() => rmSync(lockFile(sessionId), { force: true }))
    writeSync(fifo, torn(italian, french))
    closeSync(fifo)
    // It finishes, then releases the lock.
    writeFileSync(`${file}.new`, italian)
    renameSync(`${file}.new`, file)
    rmSync(lockFile(sessionId))

    const { status, html } = await page
    assert.equal(status, 200)
    assert.equal(currentLanguage(html), ITALIAN)
  })
    .skip(driver !== 'file', FILE_ONLY)
    .timeout(90_000)

  test('a session file that never checks out reads as no session', async ({ assert }) => {
    const { visitor, file, french, italian } = await frenchVisitor()
    writeFileSync(file, torn(italian, french))

    const page = await visitor.get('/')

    assert.equal(page.status, 200)
    assert.equal(currentLanguage(page.html), NOT_SET)
    const again = await visitor.get('/language/it')
    assert.equal(currentLanguage(again.html), ITALIAN)
    const current = readFileSync(sessionFile(visitor.sessionId()!))
    assert.isNotNull(openFileRecord(current), 'the new session file checks out')
  }).skip(driver !== 'file', FILE_ONLY)

  test('a record followed by the tail of a longer one reads as that record', async ({ assert }) => {
    const { visitor, file, french, italian } = await frenchVisitor()
    // A writer that died before cutting the file to its new length.
    writeFileSync(file, Buffer.concat([italian, french]))

    assert.equal(currentLanguage((await visitor.get('/')).html), ITALIAN)
    await visitor.get('/language/fr')
    assert.equal(statSync(file).size, french.length)
  }).skip(driver !== 'file', FILE_ONLY)

  test('a plain JSON session file of an earlier version is kept', async ({ assert }) => {
    const { visitor, sessionId, file } = await frenchVisitor()
    const { values, expiresAt } = await storedSession(visitor, sessionId)
    writeFileSync(file, packRecord(sessionId, values, expiresAt))

    assert.equal(currentLanguage((await visitor.get('/')).html), FRENCH)
    await visitor.get('/language/it')
    assert.equal(currentLanguage((await visitor.get('/')).html), ITALIAN)
    assert.isNotNull(openFileRecord(readFileSync(file)), 'rewritten in the current format')
  }).skip(driver !== 'file', FILE_ONLY)
})

test.group('A session lock that cannot be read (file driver)', () => {
  test('the 503 page after the lock wait, and other visitors are served meanwhile', async ({
    assert,
    cleanup,
  }) => {
    const { visitor, sessionId } = await frenchVisitor()
    mkdirSync(lockFile(sessionId))
    cleanup(() => rmSync(lockFile(sessionId), { recursive: true, force: true }))

    let waited = true
    const switched = visitor.get('/language/it').finally(() => (waited = false))
    const other = await new Visitor().get('/language/fr')

    assert.equal(currentLanguage(other.html), FRENCH)
    assert.isTrue(waited, 'the other visitor was served while the switch waited')
    assert.equal((await switched).status, 503)
  }).skip(driver !== 'file', FILE_ONLY)
})

/**
 * The FIFO's write end, or null while no process has it open for reading.
 */
function openForWriting(path: string) {
  try {
    return openSync(path, constants.O_WRONLY | constants.O_NONBLOCK)
  } catch (error) {
    if (error.code === 'ENXIO') {
      return null
    }
    throw error
  }
}
