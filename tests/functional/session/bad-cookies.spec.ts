import { test } from '@japa/runner'
import Route from '@ioc:Adonis/Core/Route'
import { driver, sessionCookieName } from '../../helpers/session_store'
import { appUrl } from '../../helpers/visitor'

/**
 * Every route of the app (start/routes.ts, as the router holds it), with a
 * value for each parameter, and one path that matches no route.
 */
function everyRoute() {
  const values: Record<string, string> = { name: 'fr', lane: 'slow' }
  const routes = Object.values(Route.toJSON())
    .flat()
    .flatMap((route) =>
      route.methods
        .filter((method) => method !== 'HEAD')
        .map((method) => ({
          method,
          path: route.pattern.replace(/:(\w+)/g, (_, name) => values[name] || 'x'),
        }))
    )
  return [...routes, { method: 'GET', path: '/no/such/page' }]
}

/**
 * Cookies a client can send that no browser would: escapes that do not
 * decode, values too large, bytes that are not text, a name twice, forged
 * signatures and chunks, for the id cookie and the cookie driver's key
 * cookies, with and without the production `__Host-` prefix.
 */
function badCookies() {
  const id = sessionCookieName()
  // Bytes 0x80 to 0xFF: not UTF-8 text (fetch refuses control characters).
  const binary = String.fromCharCode(...Array.from({ length: 128 }, (_, index) => 128 + index))
  const names = [id, `__Host-${id}`]
  return [
    ...names.flatMap((name) => [
      `${name}.x=%E0%A4%A`,
      `${name}=%E0%A4%A; ${name}.userLanguage=%`,
      `${name}.userLanguage=${'A'.repeat(3900)}; ${name}.__flash__=${'%FF'.repeat(1200)}`,
      `${name}.userLanguage=${binary}`,
      `${name}=s:a.b; ${name}=e30; ${name}.userLanguage=1; ${name}.userLanguage=2`,
      `${name}=${'a'.repeat(40)}.${'b'.repeat(43)}; ${name}.__flash__=99~${'c'.repeat(100)}`,
      `${name}.!${'%'.repeat(30)}=x; ${name}.__proto__=x; ${name}.constructor=y`,
      `${name}.userLanguage=3~abc; ${name}.userLanguage~2=def`,
    ]),
    'csrf-secret=%E0%A4%A; =; ;;; ==; a',
  ]
}

test.group(`Bad cookies on every route (${driver} driver)`, () => {
  test('no route answers a 5xx, whatever cookies come with the request', async ({ assert }) => {
    const failures: string[] = []
    for (const { method, path } of everyRoute()) {
      for (const cookie of badCookies()) {
        const response = await fetch(`${appUrl()}${path}`, {
          method,
          headers: {
            'cookie': cookie,
            'accept': 'text/html',
            'x-forwarded-proto': 'https',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: method === 'POST' ? 'run=1&title=t&body=b' : undefined,
          redirect: 'manual',
        })
        await response.arrayBuffer()
        if (response.status >= 500) {
          failures.push(`${method} ${path} (${cookie.slice(0, 60)}): ${response.status}`)
        }
      }
    }

    assert.isAbove(everyRoute().length, 10)
    assert.deepEqual(failures, [])
  }).timeout(120_000)
})
