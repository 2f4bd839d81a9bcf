import { test } from '@japa/runner'
import { driver, storedSessionCount } from '../../helpers/session_store'
import { Visitor } from '../../helpers/visitor'

/**
 * The attributes of each `<link rel="icon">` of a page, by name.
 */
function iconLinks(html: string) {
  return [...html.matchAll(/<link\b[^>]*>/g)]
    .map(([tag]) =>
      Object.fromEntries(
        [...tag.matchAll(/([a-z-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value])
      )
    )
    .filter((attributes) => attributes.rel === 'icon')
}

test.group(`The site icon (${driver} driver)`, () => {
  test('every page links it', async ({ assert }) => {
    const page = await new Visitor().get('/no/such/page')

    assert.sameDeepMembers(iconLinks(page.html), [
      { rel: 'icon', href: '/favicon.ico', sizes: '16x16 32x32 48x48' },
      { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
    ])
  })

  test('{path} is served as {type} without a session')
    .with([
      { path: '/favicon.ico', type: 'image/x-icon' },
      { path: '/favicon.svg', type: 'image/svg+xml' },
    ])
    .run(async ({ assert }, { path, type }) => {
      const before = await storedSessionCount()

      const response = await fetch(`${new Visitor().baseUrl}${path}`)

      assert.equal(response.status, 200)
      assert.equal(response.headers.get('content-type'), type)
      assert.isAbove((await response.arrayBuffer()).byteLength, 100)
      assert.deepEqual(response.headers.getSetCookie(), [])
      // The cookie driver keeps nothing on the server: the cookies say it all.
      if (driver !== 'cookie') {
        assert.equal(await storedSessionCount(), before)
      }
    })
})
