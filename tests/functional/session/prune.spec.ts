import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { existsSync, utimesSync, writeFileSync } from 'node:fs'
import { promisify } from 'node:util'
import Application from '@ioc:Adonis/Core/Application'
import SessionStore from 'App/Services/SessionStore'
import { AppProcess } from '../../../support/app_process'
import { Visitor, textOf } from '../../helpers/visitor'

const FRENCH = 'Votre langue actuelle est français (fr)'

function sessionFile(sessionId: string) {
  return Application.tmpPath('sessions', `${sessionId}.txt`)
}

/**
 * Sets a file's modification time to `ms` ago: the file driver rewrites the
 * session file on every request, so that is when the visitor last came.
 */
function lastUsed(path: string, ms: number) {
  const then = new Date(Date.now() - ms)
  utimesSync(path, then, then)
}

async function visitorIn(language: string, baseUrl?: string) {
  const visitor = new Visitor(baseUrl)
  await visitor.get(`/language/${language}`)
  return { visitor, file: sessionFile(visitor.sessionId()!) }
}

/**
 * The file driver is the only one that leaves files behind.
 */
const pruning = {
  file: () => {
    test.group('Expired session files (file driver)', () => {
      test('node ace session:prune removes files older than the session age and keeps live ones', async ({
        assert,
      }) => {
        const live = await visitorIn('fr')
        const nearlyExpired = await visitorIn('fr')
        const expired = await visitorIn('it')
        lastUsed(nearlyExpired.file, SessionStore.ageMs - 60_000)
        lastUsed(expired.file, SessionStore.ageMs + 60_000)
        const crashedWrite = `${live.file}.0123456789ab.tmp`
        writeFileSync(crashedWrite, '{"message":')
        lastUsed(crashedWrite, 10 * 60_000)

        const { stdout } = await promisify(execFile)(process.execPath, ['ace', 'session:prune'], {
          cwd: Application.appRoot,
          env: process.env,
        })

        assert.match(stdout, /Removed \d+ expired session file\(s\), kept \d+/)
        assert.isFalse(existsSync(expired.file), 'expired session removed')
        assert.isFalse(existsSync(crashedWrite), 'temporary file of a crashed write removed')
        assert.isTrue(existsSync(live.file), 'live session kept')
        assert.isTrue(existsSync(nearlyExpired.file), 'session within its age kept')

        assert.equal(textOf((await live.visitor.get('/')).html, 'current-language'), FRENCH)
        assert.equal(
          textOf((await expired.visitor.get('/')).html, 'current-language'),
          'Your current language is not set'
        )
      })

      test('the running app sweeps expired files every SESSION_PRUNE_INTERVAL', async ({
        assert,
      }) => {
        const app = await AppProcess.start({ SESSION_DRIVER: 'file', SESSION_PRUNE_INTERVAL: '1' })
        try {
          const live = await visitorIn('fr', app.url)
          const expired = await visitorIn('it', app.url)
          lastUsed(expired.file, SessionStore.ageMs + 60_000)

          const deadline = Date.now() + 5000
          while (existsSync(expired.file) && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 100))
          }

          assert.isFalse(existsSync(expired.file), 'swept within a few intervals')
          assert.isTrue(existsSync(live.file))
          assert.equal(textOf((await live.visitor.get('/')).html, 'current-language'), FRENCH)
        } finally {
          await app.kill()
        }
      })

      test('SESSION_PRUNE_INTERVAL must be a duration: a typo stops the app at boot', async ({
        assert,
      }) => {
        const error = await AppProcess.start({ SESSION_PRUNE_INTERVAL: 'hourly' }, 10_000).catch(
          (failure) => failure
        )
        assert.instanceOf(error, Error)
        assert.include(error.message, 'SESSION_PRUNE_INTERVAL')
      })
    })
  },
}

pruning[SessionStore.driver as 'file']?.()
