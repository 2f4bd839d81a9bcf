import { test } from '@japa/runner'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import Application from '@ioc:Adonis/Core/Application'
import { AppProcess } from '../../support/app_process'
import { FRENCH, NOT_SET, currentLanguage } from '../helpers/language'
import { Visitor, textOf, visibleText } from '../helpers/visitor'

/**
 * The README's "Production" command, run as it is written there.
 */
const COMMAND = 'npm run build && npm run start:prod'

/**
 * A folder of this run's own for what `start:prod` creates on a fresh clone:
 * the env file with its APP_KEY and the SQLite database.
 */
const folder = `tmp/production-${process.pid}`

test.group('The production build', (group) => {
  let app: AppProcess

  group.setup(async () => {
    const removeFolder = () =>
      rmSync(Application.makePath(folder), { recursive: true, force: true })
    removeFolder()
    // Nothing from this test process (NODE_ENV=test, its APP_KEY, its
    // database): only what a shell on a server would have.
    app = await AppProcess.start(
      {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        ENV_PATH: `${folder}/.env`,
        DB_FILE: `${folder}/db.sqlite3`,
      },
      // Compiling the whole project takes a while on a busy machine.
      240_000,
      { command: ['sh', '-c', COMMAND], inheritEnv: false }
    ).catch((error) => {
      // No cleanup runs for a setup that failed.
      removeFolder()
      throw error
    })
    return async () => {
      await app.stop()
      removeFolder()
    }
  })

  test('the README documents the command this test runs', ({ assert }) => {
    const readme = readFileSync(Application.makePath('README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## Production'))
    assert.include(section.slice(0, section.indexOf('\n## ', 1)), COMMAND)
  })

  test("the build ends with the app's own next step, not ace's", ({ assert }) => {
    // From ace's success line to npm's echo of the next command.
    const log = app.log()
    const closing = log.slice(log.indexOf('built successfully'), log.search(/^> \S+ start:prod$/m))
    assert.include(closing, 'built successfully')
    assert.include(closing, 'npm run start:prod')
    assert.notInclude(closing, 'node server.js')
    assert.notInclude(closing, 'npm ci')
  })

  test('a fresh database is migrated without notices meant for an old one', ({ assert }) => {
    const start = app.log().slice(app.log().search(/^> \S+ start:prod$/m))
    assert.include(start, 'database/migrations/1732550000000_posts')
    assert.notInclude(start, 'Upgrading migrations version')
  })

  test('it starts from a clean checkout: env file with a new APP_KEY, database migrated outside build/', async ({
    assert,
  }) => {
    const env = readFileSync(Application.makePath(folder, '.env'), 'utf8')
    assert.match(env, /^APP_KEY=[\w-]{32,}$/m)
    assert.isTrue(existsSync(Application.makePath(folder, 'db.sqlite3')))
    assert.isFalse(existsSync(join(Application.appRoot, 'build', folder)))

    const posts = await new Visitor(app.url, { behindHttpsProxy: true }).get('/posts')
    assert.equal(posts.status, 200)
  })

  test('a visitor behind the HTTPS proxy walks the guide: language, failed post, post', async ({
    assert,
  }) => {
    const visitor = new Visitor(app.url, { behindHttpsProxy: true })

    const home = await visitor.get('/')
    assert.equal(currentLanguage(home.html), NOT_SET)
    assert.deepEqual(home.headers.getSetCookie(), [], 'a visitor who stored nothing gets no cookie')

    const switched = await visitor.get('/language/fr', { followRedirects: false })
    const cookies = switched.headers.getSetCookie()
    assert.isNotEmpty(cookies)
    for (const cookie of cookies) {
      // Secure, and bound to this host by the __Host- prefix: no subdomain can set them.
      assert.match(cookie, /^__Host-/, cookie)
      assert.match(cookie, /; Path=\//i, cookie)
      assert.notMatch(cookie, /; Domain=/i, cookie)
      assert.match(cookie, /; Secure/i, cookie)
      assert.match(cookie, /; HttpOnly/i, cookie)
    }

    const french = await visitor.get('/')
    assert.include(french.html, '<html lang="fr">')
    assert.equal(currentLanguage(french.html), FRENCH)

    const failed = await visitor.submit('/posts/create', '/posts', { title: 'ab', body: 'Gardé' })
    assert.deepEqual(failed.redirects, ['/posts/create'])
    assert.equal(textOf(failed.html, 'title-error'), 'Saisissez au moins 3 caractères')
    assert.include(failed.html, '>Gardé</textarea>')

    const title = `En production ${process.pid}`
    const created = await visitor.submit('/posts/create', '/posts', { title, body: 'Bonjour' })
    assert.deepEqual(created.redirects, ['/posts'])
    assert.include(visibleText(created.html), "L'article a été créé")
    assert.include(visibleText(created.html), title)

    const reload = await visitor.get('/posts')
    assert.notInclude(visibleText(reload.html), "L'article a été créé")
    assert.include(visibleText(reload.html), title)
  })

  test('over plain http the Secure session cookies never come back, so nothing is kept', async ({
    assert,
  }) => {
    const visitor = new Visitor(app.url)

    await visitor.get('/language/fr')
    const home = await visitor.get('/')

    assert.equal(visitor.cookies.size, 0)
    assert.equal(currentLanguage(home.html), NOT_SET)
  })
})
