import { test } from '@japa/runner'
import { Visitor, textOf } from '../../helpers/visitor'

const SESSION_COOKIE = 'adonis-session'
const FRENCH = 'Votre langue actuelle est français (fr)'

function sessionCookieLine(page: { headers: Headers }) {
  return page.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`))
}

test.group('The session id cookie', () => {
  test('a returning visitor gets the same signed id back, with a fresh Max-Age', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const sent = visitor.cookies.get(SESSION_COOKIE)!

    const page = await visitor.get('/')
    const line = sessionCookieLine(page)

    assert.isDefined(line)
    assert.isTrue(line!.startsWith(`${SESSION_COOKIE}=${sent};`))
    assert.match(line!, /; Max-Age=7200/)
    assert.match(line!, /; HttpOnly/)
    assert.equal(textOf((await visitor.get('/')).html, 'current-language'), FRENCH)
  })

  test('a regenerated session gets a new signed id that the app accepts', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const before = visitor.cookies.get(SESSION_COOKIE)!

    await visitor.submit('/session', '/session/regenerate', {})
    const after = visitor.cookies.get(SESSION_COOKIE)!

    assert.notEqual(after, before)
    assert.equal(textOf((await visitor.get('/')).html, 'current-language'), FRENCH)
  })
})
