import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import CookieClient from '@ioc:Adonis/Core/CookieClient'
import { driver, sessionCookieNames } from '../../helpers/session_store'
import { Visitor, appUrl, csrfToken, unsignedCookieValue } from '../../helpers/visitor'

const SECRET_COOKIE = 'csrf-secret'

/**
 * A visitor with a session (the language is stored) who opened the form:
 * its cookies and the form's token.
 */
async function visitorWithForm() {
  const visitor = new Visitor()
  await visitor.get('/language/fr')
  const token = csrfToken((await visitor.get('/posts/create')).html)
  return { visitor, token, cookies: new Map(visitor.cookies) }
}

/**
 * The cookie jar of `to`'s session with the CSRF secret cookie of `from`:
 * what an attacker who kept an old copy of the secret sends.
 */
function replayedSecret(to: Visitor, from: Map<string, string>) {
  const replay = new Visitor()
  for (const name of sessionCookieNames(to)) replay.cookies.set(name, to.cookies.get(name)!)
  replay.cookies.set(SECRET_COOKIE, from.get(SECRET_COOKIE)!)
  return replay
}

async function postWith(visitor: Visitor, token: string, title: string) {
  return visitor.post(
    '/posts',
    { _csrf: token, title, body: 'Replayed' },
    { headers: { referer: `${appUrl()}/posts/create` }, followRedirects: false }
  )
}

test.group(`Security: the CSRF secret belongs to one session (${driver} driver)`, (group) => {
  group.each.setup(async () => {
    await Database.from('posts').delete()
  })

  for (const action of ['regenerate', 'clear']) {
    test(`after ${action}, the old secret and token are refused with the new session's cookies`, async ({
      assert,
    }) => {
      const { visitor, token, cookies: before } = await visitorWithForm()

      await visitor.submit('/session', `/session/${action}`, {})
      const replay = replayedSecret(visitor, before)
      const refused = await postWith(replay, token, `Old secret after ${action}`)

      assert.equal(refused.headers.get('location'), '/posts/create', 'sent back to the form')
      assert.notEqual(visitor.cookies.get(SECRET_COOKIE), before.get(SECRET_COOKIE))
      assert.lengthOf(await Database.from('posts'), 0)

      // The new session's own secret and token work.
      const fresh = csrfToken((await visitor.get('/posts/create')).html)
      await postWith(visitor, fresh, 'New secret')
      assert.lengthOf(await Database.from('posts').where('title', 'New secret'), 1)
    })
  }

  test("session A's secret and token are refused with session B's cookies", async ({ assert }) => {
    const a = await visitorWithForm()
    const b = await visitorWithForm()

    const replay = replayedSecret(b.visitor, a.cookies)
    const response = await postWith(replay, a.token, 'Secret of another session')

    assert.equal(response.headers.get('location'), '/posts/create')
    assert.lengthOf(await Database.from('posts'), 0)
  })

  test('a form opened before the visitor had a session still works once it has one', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    const token = csrfToken((await visitor.get('/posts/create')).html)
    await visitor.get('/language/it')

    await postWith(visitor, token, 'Opened before the session')

    assert.lengthOf(await Database.from('posts').where('title', 'Opened before the session'), 1)
  })

  test('the secret cookie expires with the session age, and an expired secret is refused', async ({
    assert,
  }) => {
    const first = await new Visitor().get('/posts/create')
    const line = first.headers.getSetCookie().find((c) => c.startsWith(`${SECRET_COOKIE}=`))
    assert.match(line!, /Max-Age=7200/)

    const { visitor, token } = await visitorWithForm()

    // The same secret, its signed expiry moved into the past, as time would.
    const [secret, session] = unsignedCookieValue(visitor.cookies.get(SECRET_COOKIE)!).split('.')
    const expired = `${secret}.${session}.${(Date.now() - 1000).toString(36)}`
    visitor.cookies.set(
      SECRET_COOKIE,
      encodeURIComponent(CookieClient.sign(SECRET_COOKIE, expired)!)
    )
    const response = await postWith(visitor, token, 'Expired secret')

    assert.equal(response.headers.get('location'), '/posts/create')
    assert.lengthOf(await Database.from('posts'), 0)
  })
})
