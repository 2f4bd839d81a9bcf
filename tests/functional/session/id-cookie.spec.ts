import { test } from '@japa/runner'
import { FRENCH, ITALIAN, currentLanguage } from '../../helpers/language'
import { sessionCookieName } from '../../helpers/session_store'
import { Visitor } from '../../helpers/visitor'

function sessionCookieLine(page: { headers: Headers }) {
  return page.headers.getSetCookie().find((line) => line.startsWith(`${sessionCookieName()}=`))
}

test.group('The session id cookie', () => {
  test('the id cookie is sent when the session is written, as it came, with a fresh Max-Age', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const sent = visitor.cookies.get(sessionCookieName())!

    const write = await visitor.get('/language/it', { followRedirects: false })
    const line = sessionCookieLine(write)

    assert.isDefined(line)
    assert.isTrue(line!.startsWith(`${sessionCookieName()}=${sent};`))
    assert.match(line!, /; Max-Age=7200/)
    assert.match(line!, /; HttpOnly/)
    assert.equal(currentLanguage((await visitor.get('/')).html), ITALIAN)
  })

  test('a page that writes nothing sends no session cookie', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')

    const page = await visitor.get('/')

    assert.isUndefined(sessionCookieLine(page))
    assert.equal(currentLanguage(page.html), FRENCH)
  })

  test('a regenerated session gets a new signed id that the app accepts', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const before = visitor.cookies.get(sessionCookieName())!

    await visitor.submit('/session', '/session/regenerate', {})
    const after = visitor.cookies.get(sessionCookieName())!

    assert.notEqual(after, before)
    assert.equal(currentLanguage((await visitor.get('/')).html), FRENCH)
  })
})
