import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import SessionStore from 'App/Services/SessionStore'
import { Visitor, appUrl, csrfToken, textOf, visibleText } from '../../helpers/visitor'
import { holdPost } from '../../helpers/held_request'
import '../../helpers/session_routes'

const driver = SessionStore.driver
const serverSide = driver !== 'cookie'
const cookieLimit =
  'the cookie driver cannot merge: the browser keeps the cookie of the response that arrives last'

/**
 * Opens the post form and returns its token, as a tab with the form open.
 */
async function openForm(visitor: Visitor) {
  const page = await visitor.get('/posts/create')
  return csrfToken(page.html)
}

test.group(`Parallel requests keep each other's changes (${driver} driver)`, (group) => {
  group.each.setup(async () => {
    await Database.from('posts').delete()
  })

  test('a slow post does not undo a language switched in another tab meanwhile', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const token = await openForm(visitor)

    const slowPost = await holdPost(visitor, '/posts', {
      _csrf: token,
      title: 'Sent from a slow phone',
      body: 'Still arriving',
    })
    await visitor.get('/language/it')
    const posted = await slowPost.finish()

    assert.equal(posted.status, 302)
    const home = await visitor.get('/')
    assert.equal(textOf(home.html, 'current-language'), 'La tua lingua attuale è italiano (it)')
    const list = await visitor.get('/posts')
    assert.include(visibleText(list.html), 'Sent from a slow phone')
  })

  test("a slow failed post does not hide a quick post's success message", async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/en')
    const slowToken = await openForm(visitor)
    const quickToken = await openForm(visitor)

    const slowPost = await holdPost(visitor, '/posts', {
      _csrf: slowToken,
      title: 'x',
      body: 'Too short a title',
    })
    const quick = await visitor.post(
      '/posts',
      { _csrf: quickToken, title: 'The quick one', body: 'Arrives first' },
      { followRedirects: false }
    )
    assert.equal(quick.status, 302)
    await slowPost.finish()

    const form = await visitor.get('/posts/create')
    const text = visibleText(form.html)
    assert.include(text, 'Post has been created')
    assert.include(form.html, 'Too short a title', 'the slow post keeps its input')
    const again = await visitor.get('/posts/create')
    assert.notInclude(visibleText(again.html), 'Post has been created', 'shown once')
  }).skip(!serverSide, cookieLimit)

  test('200 parallel requests each storing a key of their own: every key is kept', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/test/session/put/first')
    const cookie = visitor.cookieHeader()

    const keys = Array.from({ length: 200 }, (_, index) => `k${index}`)
    const responses = await Promise.all(
      keys.map((key) => fetch(`${appUrl()}/test/session/put/${key}`, { headers: { cookie } }))
    )

    assert.deepEqual([...new Set(responses.map(({ status }) => status))], [204])
    const stored = await (await visitor.get('/test/session/all')).html
    assert.sameMembers(Object.keys(JSON.parse(stored).keys), ['first', ...keys])
  }).skip(!serverSide, cookieLimit)

  test('flash messages under concurrency: each shown exactly once, none lost', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/test/session/put/first')
    const cookie = visitor.cookieHeader()
    const get = (path: string) => fetch(`${appUrl()}${path}`, { headers: { cookie } })

    const flashed = Array.from({ length: 20 }, (_, index) => `m${index}`)
    const requests = flashed.flatMap((key) => [
      get(`/test/session/flash/${key}`),
      get('/test/session/flashed'),
    ])
    const responses = await Promise.all(requests)
    const readDuring = await Promise.all(
      responses.filter((_, index) => index % 2 === 1).map((response) => response.json())
    )
    const readAfter = JSON.parse((await visitor.get('/test/session/flashed')).html)

    const shown = [...readDuring, readAfter].flatMap((messages) => Object.keys(messages))
    assert.sameMembers(shown, flashed, 'every message shown, and only once')
    const nothingLeft = JSON.parse((await visitor.get('/test/session/flashed')).html)
    assert.deepEqual(nothingLeft, {})
  }).skip(!serverSide, cookieLimit)

  test('regenerate() keeps the session even when the request changed nothing', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const before = visitor.sessionId()

    await visitor.get('/test/session/regenerate')

    assert.notEqual(visitor.sessionId(), before)
    const home = await visitor.get('/')
    assert.equal(textOf(home.html, 'current-language'), 'Votre langue actuelle est français (fr)')
  })
})
