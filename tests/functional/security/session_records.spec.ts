import { test } from '@japa/runner'
import { readdirSync, statSync } from 'node:fs'
import Application from '@ioc:Adonis/Core/Application'
import Database from '@ioc:Adonis/Lucid/Database'
import Redis from '@ioc:Adonis/Addons/Redis'
import CookieClient from '@ioc:Adonis/Core/CookieClient'
import SessionStore from 'App/Services/SessionStore'
import { Visitor, appUrl, csrfToken, textOf } from '../../helpers/visitor'

const driver = SessionStore.driver
const SESSION_COOKIE = 'adonis-session'
const FRENCH = 'Votre langue actuelle est français (fr)'

/**
 * How many session records the store holds: files, Redis keys or rows. The
 * cookie driver keeps none on the server.
 */
async function storedSessions() {
  switch (driver) {
    case 'file': {
      const folder = Application.tmpPath('sessions')
      try {
        return readdirSync(folder).filter((name) => name.endsWith('.txt')).length
      } catch {
        return 0
      }
    }
    case 'redis':
      return (await Redis.connection('local').keys('session:*')).length
    case 'database': {
      const [{ total }] = await Database.from('sessions').count('* as total')
      return Number(total)
    }
    default:
      return 0
  }
}

function sessionCookies(response: Response) {
  return response.headers
    .getSetCookie()
    .filter((line) => line.startsWith(SESSION_COOKIE))
    .map((line) => line.split('=')[0])
}

test.group(`Session records and ids (${driver} driver)`, () => {
  test('cookie-less visitors who store nothing leave no session record and no session cookie', async ({
    assert,
  }) => {
    const before = await storedSessions()
    const paths = [
      '/',
      '/posts',
      '/posts/create',
      '/no-such-page',
      '/favicon.ico',
      '/session',
      '/session/relay',
    ]

    const responses = await Promise.all(
      paths.flatMap((path) =>
        Array.from({ length: 20 }, () =>
          fetch(`${appUrl()}${path}`, { headers: { accept: 'text/html' }, redirect: 'manual' })
        )
      )
    )

    assert.deepEqual(
      responses.flatMap((response) => sessionCookies(response)),
      [],
      'no session cookie is set'
    )
    assert.equal(await storedSessions(), before, 'no record is created')
  })

  test('/health sets no cookie and reads no session', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')

    const response = await fetch(`${appUrl()}/health`, {
      headers: { cookie: visitor.cookieHeader() },
    })

    assert.deepEqual(response.headers.getSetCookie(), [])
  })

  test('a validly signed session id that the store has no record for is replaced', async ({
    assert,
  }) => {
    const forged = 'attackerChosenId00000000'
    const visitor = new Visitor()
    visitor.cookies.set(
      SESSION_COOKIE,
      encodeURIComponent(CookieClient.sign(SESSION_COOKIE, forged)!)
    )

    await visitor.get('/language/fr')

    assert.notEqual(visitor.sessionId(), forged)
    assert.equal(textOf((await visitor.get('/')).html, 'current-language'), FRENCH)
  })

  test('clearing the session gives it a new id', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const before = visitor.sessionId()

    await visitor.submit('/session', '/session/clear', {})

    assert.isDefined(visitor.sessionId())
    assert.notEqual(visitor.sessionId(), before)
  })

  test('a form token from before the id was regenerated is refused', async ({ assert }) => {
    await Database.from('posts').delete()
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const oldToken = csrfToken((await visitor.get('/posts/create')).html)

    await visitor.submit('/session', '/session/regenerate', {})
    await visitor.post('/posts', { _csrf: oldToken, title: 'Old token', body: 'Replayed' })

    assert.lengthOf(await Database.from('posts').where('title', 'Old token'), 0)
    const fresh = csrfToken((await visitor.get('/posts/create')).html)
    await visitor.post('/posts', { _csrf: fresh, title: 'New token', body: 'Accepted' })
    assert.lengthOf(await Database.from('posts').where('title', 'New token'), 1)
  })

  test('session files are readable by the app alone: 0600 in a 0700 folder', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const folder = Application.tmpPath('sessions')

    assert.equal(statSync(folder).mode & 0o777, 0o700)
    const file = `${folder}/${visitor.sessionId()}.txt`
    assert.equal(statSync(file).mode & 0o777, 0o600)
  }).skip(driver !== 'file', 'only the file driver keeps files')

  test('Redis keys carry the session: prefix', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')

    const redis = Redis.connection('local')
    assert.equal(await redis.exists(`session:${visitor.sessionId()}`), 1)
    assert.equal(await redis.exists(visitor.sessionId()!), 0)
  }).skip(driver !== 'redis', 'only the redis driver keeps keys')
})
