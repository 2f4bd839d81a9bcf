import { test } from '@japa/runner'
import { driver, sessionCookieName } from '../../helpers/session_store'
import { Visitor } from '../../helpers/visitor'

/**
 * Every cookie the app sets: the session id, the cookie driver's cookie per
 * session key the app writes (and their chunks), and the CSRF secret. The
 * `cookie` package the framework serializes them with (0.5) does not check
 * a name, path or domain for characters that end the field: none of them
 * may ever come from a request.
 */
const OWN_COOKIE = new RegExp(
  `^(${sessionCookieName()}(\\.(userLanguage|__flash__|[a-z][A-Za-z]+)(~\\d+)?)?|csrf-secret)$`
)

const hostile = [
  'userName=x; Max-Age=1; a',
  'a; Path=/evil',
  'x\r\nSet-Cookie: evil=1',
  '__Host-evil',
]

test.group(`Security: the app sets cookies of its own names only (${driver} driver)`, () => {
  test('names sent in paths, fields, cookies and headers never become a cookie name', async ({
    assert,
  }) => {
    const names = new Set<string>()
    const visitor = new Visitor()
    const record = (headers: Headers) => {
      for (const line of headers.getSetCookie()) {
        names.add(line.slice(0, line.indexOf('=')))
        assert.match(line, /; Path=\/(;|$)/, line)
        assert.notMatch(line, /; Domain=/i, line)
      }
    }

    for (const name of hostile) {
      const path = `/language/${encodeURIComponent(name)}`
      record((await visitor.get(path, { followRedirects: false })).headers)
      record((await visitor.get(`/?${encodeURIComponent(name)}=1`)).headers)
    }
    await visitor.get('/language/fr')
    for (const name of hostile) {
      const form = await visitor.get('/posts/create')
      record(form.headers)
      const page = await visitor.submit('/posts/create', '/posts', { [name]: 'x', title: 'ab' })
      record(page.headers)
      const withCookie = new Visitor()
      withCookie.cookies = new Map([...visitor.cookies, [encodeURIComponent(name), 'x']])
      record((await withCookie.get('/session')).headers)
    }
    // The cookies set on redirects, kept by the jar as a browser keeps them.
    for (const name of visitor.cookies.keys()) names.add(name)

    assert.isNotEmpty(names)
    for (const name of names) {
      assert.match(name, OWN_COOKIE, name)
    }
  })
})
