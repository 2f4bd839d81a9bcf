import { test } from '@japa/runner'
import CookieClient from '@ioc:Adonis/Core/CookieClient'
import { freePort } from '../../../support/services'
import { AppProcess } from '../../../support/app_process'
import { sessionCookieName } from '../../helpers/session_store'
import { Visitor, csrfToken } from '../../helpers/visitor'

/**
 * The exact values every answer of the app must carry: Shield's headers from
 * config/shield.ts (HSTS for 180 days, in seconds), and the app's own cache
 * and referrer policies.
 */
const expected: Record<string, string> = {
  'content-security-policy':
    "default-src 'self';img-src 'self' data:;script-src 'self';style-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'none'",
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'on',
  'referrer-policy': 'same-origin',
  'cache-control': 'private, no-cache',
}

function headersOf(response: { headers: Headers }) {
  return Object.fromEntries(Object.keys(expected).map((name) => [name, response.headers.get(name)]))
}

const driver = process.env.SESSION_DRIVER || 'cookie'

test.group('Headers of every answer', () => {
  const cases: { title: string; send: (visitor: Visitor) => Promise<{ status: number }> }[] = [
    { title: 'the home page', send: (visitor) => visitor.get('/') },
    { title: 'the form', send: (visitor) => visitor.get('/posts/create') },
    { title: 'the session inspector', send: (visitor) => visitor.get('/session') },
    {
      title: 'a language switch (redirect)',
      send: (visitor) => visitor.get('/language/fr', { followRedirects: false }),
    },
    { title: 'an unknown page (404)', send: (visitor) => visitor.get('/no/such/page') },
    {
      title: 'an unknown page asked as JSON (404)',
      send: (visitor) => visitor.get('/missing', { headers: { accept: 'application/json' } }),
    },
    {
      title: 'a post without a CSRF token (redirect)',
      send: (visitor) =>
        visitor.post('/posts', { title: 'No token', body: 'x' }, { followRedirects: false }),
    },
    {
      title: 'a body over 64 KB (413)',
      send: async (visitor) => {
        await visitor.get('/posts/create')
        return visitor.post('/posts', { title: 'Big', body: 'x'.repeat(70_000) })
      },
    },
    { title: 'the health check', send: (visitor) => visitor.get('/health') },
  ]

  test('{title} carries the security, cache and referrer headers')
    .with(cases)
    .run(async ({ assert }, { send }) => {
      const response = await send(new Visitor())

      assert.isBelow(response.status, 500)
      assert.deepEqual(headersOf(response as any), expected)
    })

  test('the 404 page of a visitor with a session carries them too', async ({ assert }) => {
    const visitor = new Visitor()
    const form = await visitor.get('/posts/create')
    assert.isString(csrfToken(form.html))

    const page = await visitor.get('/no/such/page')

    assert.equal(page.status, 404)
    assert.deepEqual(headersOf(page), expected)
  })

  test('the stylesheet keeps its own caching: it holds no session data', async ({ assert }) => {
    const response = await fetch(`${new Visitor().baseUrl}/css/app.css`)

    assert.equal(response.status, 200)
    assert.equal(response.headers.get('cache-control'), 'public, max-age=0')
    assert.isNotNull(response.headers.get('etag'))
  })

  test('{$self} is never read as another type than its own (nosniff)')
    .with(['/css/app.css', '/favicon.ico'])
    .run(async ({ assert }, path) => {
      const response = await fetch(`${new Visitor().baseUrl}${path}`)

      assert.equal(response.status, 200)
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
    })

  test('the 503 page of a session store that is down carries them too')
    .skip(driver !== 'redis', 'Runs once, in the redis run: it starts an app with no Redis')
    .run(async ({ assert }) => {
      // Nothing listens on this port: every session read fails with the 503 page.
      const app = await AppProcess.start({
        SESSION_DRIVER: 'redis',
        REDIS_PORT: String(await freePort()),
      })
      try {
        // A returning visitor: their session has to be read, and cannot be.
        const visitor = new Visitor(app.url)
        const id = CookieClient.sign(sessionCookieName(), 'returningVisitor00000000')!
        visitor.cookies.set(sessionCookieName(), encodeURIComponent(id))
        const page = await visitor.get('/')

        assert.equal(page.status, 503)
        assert.deepEqual(headersOf(page), expected)
      } finally {
        await app.stop()
      }
    })
})
