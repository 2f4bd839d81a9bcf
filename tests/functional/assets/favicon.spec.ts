import { readdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import Application from '@ioc:Adonis/Core/Application'
import { Visitor } from '../../helpers/visitor'

const driver = process.env.SESSION_DRIVER || 'cookie'

/**
 * How many sessions the driver's store holds now: files for `file`, keys for
 * `redis`. The cookie driver keeps none on the server.
 */
async function storedSessions() {
  if (driver === 'file') {
    return (await readdir(Application.tmpPath('sessions')).catch(() => [])).length
  }
  if (driver === 'redis') {
    const { default: Redis } = await import('@ioc:Adonis/Addons/Redis')
    // Session keys only: the rate limiter's key comes and goes on its own.
    return (await Redis.connection('local').keys('session:*')).length
  }
  return 0
}

test.group('The site icon', () => {
  test('every page links it', async ({ assert }) => {
    const page = await new Visitor().get('/no/such/page')

    assert.include(page.html, '<link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48">')
    assert.include(page.html, '<link rel="icon" href="/favicon.svg" type="image/svg+xml">')
  })

  test('{path} is served as {type} without a session')
    .with([
      { path: '/favicon.ico', type: 'image/x-icon' },
      { path: '/favicon.svg', type: 'image/svg+xml' },
    ])
    .run(async ({ assert }, { path, type }) => {
      const before = await storedSessions()

      const response = await fetch(`${new Visitor().baseUrl}${path}`)

      assert.equal(response.status, 200)
      assert.equal(response.headers.get('content-type'), type)
      assert.isAbove((await response.arrayBuffer()).byteLength, 100)
      assert.deepEqual(response.headers.getSetCookie(), [])
      assert.equal(await storedSessions(), before)
    })
})
