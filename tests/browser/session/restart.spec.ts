import { test } from '@japa/runner'
import { AppProcess } from '../../../support/app_process'
import { currentLanguage, follow, htmlLang, openPage } from '../../helpers/browser'
import { FRENCH, NOT_SET } from '../../helpers/language'
import { driver } from '../../helpers/session_store'

/**
 * The app under test, but as a process of its own that can be stopped and
 * started again: same APP_KEY, DB_FILE, SESSION_DRIVER and REDIS_PORT as the
 * suite (all in process.env), on a free port. NODE_ENV=development is how
 * `npm start` runs it (test mode would also silence its log, which the error
 * message shows when it does not start).
 */
function startApp(env: NodeJS.ProcessEnv = {}) {
  return AppProcess.start({ NODE_ENV: 'development', ...env })
}

// Each test starts the app from source twice, which on a busy machine can
// take more than the suite's 30 s: hence .timeout(120_000).
test.group('Sessions and app restarts', () => {
  test(`a ${driver} session outlives a restart of the app process with the same APP_KEY`, async ({
    assert,
    browser,
    cleanup,
  }) => {
    const app = await startApp()
    cleanup(() => app.stop())
    const page = await openPage(browser, { baseURL: app.url })
    await page.goto('/')
    await follow(page, 'Change to French')
    assert.equal(await htmlLang(page), 'fr')
    const before = app.pid

    await app.restart()
    await page.reload()

    assert.notEqual(app.pid, before)
    assert.equal(await htmlLang(page), 'fr')
    assert.equal(await currentLanguage(page), FRENCH)
  }).timeout(120_000)

  test('a restart with another APP_KEY starts every visitor afresh', async ({
    assert,
    browser,
    cleanup,
  }) => {
    const app = await startApp()
    cleanup(() => app.stop())
    const page = await openPage(browser, { baseURL: app.url })
    await page.goto('/')
    await follow(page, 'Change to French')
    assert.equal(await htmlLang(page), 'fr')

    await app.stop()
    const rekeyed = await startApp({ APP_KEY: `${process.env.APP_KEY}-rotated` })
    cleanup(() => rekeyed.stop())
    await page.goto(rekeyed.url)

    assert.equal(await htmlLang(page), 'en')
    assert.equal(await currentLanguage(page), NOT_SET)
  }).timeout(120_000)
})
