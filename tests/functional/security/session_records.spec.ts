import { test } from '@japa/runner'
import { statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from '@ioc:Adonis/Lucid/Database'
import CookieClient from '@ioc:Adonis/Core/CookieClient'
import {
  driver,
  redisKeysNaming,
  sessionCookieName,
  sessionFile,
  storedSessionCount,
} from '../../helpers/session_store'
import { Visitor, appUrl, csrfToken, textOf } from '../../helpers/visitor'

const FRENCH = 'Votre langue actuelle est français (fr)'

function sessionCookies(response: Response) {
  return response.headers
    .getSetCookie()
    .filter((line) => line.startsWith(sessionCookieName()))
    .map((line) => line.split('=')[0])
}

test.group(`Session records and ids (${driver} driver)`, () => {
  test('cookie-less visitors who store nothing leave no session record and no session cookie', async ({
    assert,
  }) => {
    const before = await storedSessionCount()
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
    if (driver !== 'cookie') {
      assert.equal(await storedSessionCount(), before, 'no record is created')
    }
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
    const name = sessionCookieName()
    visitor.cookies.set(name, encodeURIComponent(CookieClient.sign(name, forged)!))

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
    const file = sessionFile(visitor.sessionId()!)

    assert.equal(statSync(dirname(file)).mode & 0o777, 0o700)
    assert.equal(statSync(file).mode & 0o777, 0o600)
  }).skip(driver !== 'file', 'only the file driver keeps files')

  test('Redis keys carry the session: prefix', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')

    assert.deepEqual(await redisKeysNaming(visitor.sessionId()!), [
      `session:${visitor.sessionId()}`,
    ])
  }).skip(driver !== 'redis', 'only the redis driver keeps keys')
})
