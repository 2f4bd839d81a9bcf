import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { existsSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import Application from '@ioc:Adonis/Core/Application'
import SessionStore from 'App/Services/SessionStore'
import { AppProcess } from '../../../support/app_process'
import { until } from '../../../support/poll'
import { FRENCH, NOT_SET, currentLanguage } from '../../helpers/language'
import { driver, lockFile, sessionFile } from '../../helpers/session_store'
import { Visitor } from '../../helpers/visitor'

/**
 * Sets a file's modification time to `ms` ago, as if the session had last
 * been written then.
 */
function lastWritten(path: string, ms: number) {
  const then = new Date(Date.now() - ms)
  utimesSync(path, then, then)
}

async function visitorIn(language: string, baseUrl?: string) {
  const visitor = new Visitor(baseUrl)
  await visitor.get(`/language/${language}`)
  return { visitor, file: sessionFile(visitor.sessionId()!) }
}

const FILE_ONLY = 'only the file driver leaves files behind'

test.group(`Expired session files (${driver} driver)`, () => {
  test('node ace session:prune removes files older than the session age and keeps live ones', async ({
    assert,
  }) => {
    const live = await visitorIn('fr')
    const nearlyExpired = await visitorIn('fr')
    const expired = await visitorIn('it')
    lastWritten(nearlyExpired.file, SessionStore.ageMs - 60_000)
    lastWritten(expired.file, SessionStore.ageMs + 60_000)
    const crashedWrite = `${live.file}.0123456789ab.tmp`
    writeFileSync(crashedWrite, '{"message":')
    lastWritten(crashedWrite, 10 * 60_000)

    const { stdout } = await promisify(execFile)(process.execPath, ['ace', 'session:prune'], {
      cwd: Application.appRoot,
      env: process.env,
    })

    assert.match(stdout, /Removed \d+ expired session\(s\), kept \d+/)
    assert.isFalse(existsSync(expired.file), 'expired session removed')
    assert.isFalse(existsSync(crashedWrite), 'temporary file of a crashed write removed')
    assert.isTrue(existsSync(live.file), 'live session kept')
    assert.isTrue(existsSync(nearlyExpired.file), 'session within its age kept')

    assert.equal(currentLanguage((await live.visitor.get('/')).html), FRENCH)
    assert.equal(currentLanguage((await expired.visitor.get('/')).html), NOT_SET)
  }).skip(driver !== 'file', FILE_ONLY)

  test('a folder flooded with 5,000 expired sessions is pruned entry by entry, leftovers included', async ({
    assert,
  }) => {
    const live = await visitorIn('fr')
    const folder = dirname(live.file)
    const flood = Array.from(
      { length: 5000 },
      (_, index) => `flood${String(index).padStart(19, '0')}`
    )
    for (const id of flood) {
      writeFileSync(sessionFile(id), '{}')
      lastWritten(sessionFile(id), SessionStore.ageMs + 60_000)
    }
    const staleLock = lockFile(flood[0])
    writeFileSync(staleLock, '1 elsewhere 0')
    lastWritten(staleLock, 60_000)
    const freshLock = lockFile(live.visitor.sessionId()!)
    writeFileSync(freshLock, `${process.pid} elsewhere 0`)
    const notOurs = join(folder, 'README')
    writeFileSync(notOurs, 'kept')
    lastWritten(notOurs, SessionStore.ageMs + 60_000)

    const result = await SessionStore.prune()

    assert.isAtLeast(result!.removed, 5000)
    assert.isFalse(
      flood.some((id) => existsSync(sessionFile(id))),
      'every expired file removed'
    )
    assert.isFalse(existsSync(staleLock), 'a lock of a commit that never finished removed')
    assert.isTrue(existsSync(freshLock), 'a lock taken a moment ago kept')
    assert.isTrue(existsSync(notOurs), 'a file that is not the driver’s left alone')
    assert.isTrue(existsSync(live.file))
    rmSync(freshLock)
    rmSync(notOurs)
  })
    .skip(driver !== 'file', FILE_ONLY)
    .timeout(60_000)

  test('the running app sweeps expired files every SESSION_PRUNE_INTERVAL', async ({
    assert,
    cleanup,
  }) => {
    const app = await AppProcess.start({ SESSION_DRIVER: 'file', SESSION_PRUNE_INTERVAL: '1' })
    cleanup(() => app.kill())
    const live = await visitorIn('fr', app.url)
    const expired = await visitorIn('it', app.url)
    lastWritten(expired.file, SessionStore.ageMs + 60_000)

    // Every second: a few intervals are plenty, even on a busy machine.
    await until(() => !existsSync(expired.file), {
      timeoutMs: 10_000,
      message: 'the sweep to remove the expired file',
    })

    assert.isTrue(existsSync(live.file))
    assert.equal(currentLanguage((await live.visitor.get('/')).html), FRENCH)
  }).skip(driver !== 'file', FILE_ONLY)

  test('SESSION_PRUNE_INTERVAL must be a duration: a typo stops the app at boot', async ({
    assert,
  }) => {
    const error = await AppProcess.start({ SESSION_PRUNE_INTERVAL: 'hourly' }).catch(
      (failure) => failure
    )
    assert.instanceOf(error, Error)
    assert.include(error.message, 'SESSION_PRUNE_INTERVAL')
  }).skip(driver !== 'file', 'SESSION_PRUNE_INTERVAL is read for the file driver')
})
