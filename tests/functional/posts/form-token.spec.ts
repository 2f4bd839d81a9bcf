import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import type { SessionContract } from '@ioc:Adonis/Addons/Session'
import { Store } from '@adonisjs/session/build/src/Store'
import FormToken from 'App/Services/FormToken'
import SessionStore from 'App/Services/SessionStore'
import { Visitor, csrfToken, textOf } from '../../helpers/visitor'

/**
 * One rendered form: its CSRF token and its one-time form token, as a
 * browser tab holds them.
 */
async function openForm(visitor: Visitor) {
  const page = await visitor.get('/posts/create')
  const match = page.html.match(/name="_form" value="([^"]+)"/)
  if (!match) {
    throw new Error('The form has no _form field')
  }
  return { _csrf: csrfToken(page.html), _form: match[1], referer: page.url }
}

function send(visitor: Visitor, form: Awaited<ReturnType<typeof openForm>>, title: string) {
  const { referer, ...tokens } = form
  return visitor.post(
    '/posts',
    { ...tokens, title, body: 'Sent from a form with a one-time token.' },
    { headers: { referer } }
  )
}

async function postsTitled(title: string) {
  return (await Database.from('posts').where('title', title)).length
}

test.group('A form is stored once', (group) => {
  group.each.setup(() => Database.from('posts').delete())

  test('sending the same form again stores nothing and lands on the list with a note', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    const form = await openForm(visitor)
    const first = await send(visitor, form, 'Only once')
    assert.include(first.html, 'Post has been created')

    const second = await send(visitor, form, 'Only once')

    assert.deepEqual(second.redirects, ['/posts'])
    assert.include(second.html, 'This form was already sent, so your post was stored only once.')
    assert.notInclude(second.html, 'Post has been created')
    assert.equal(await postsTitled('Only once'), 1)
  })

  test('the note is in the visitor language', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/it')
    const form = await openForm(visitor)
    await send(visitor, form, 'Una volta sola')

    const second = await send(visitor, form, 'Una volta sola')

    assert.include(
      second.html,
      'Questo modulo era già stato inviato: il tuo articolo è stato salvato una sola volta.'
    )
    assert.equal(await postsTitled('Una volta sola'), 1)
  })

  test('two forms opened side by side are each stored once', async ({ assert }) => {
    const visitor = new Visitor()
    const left = await openForm(visitor)
    const right = await openForm(visitor)
    assert.notEqual(left._form, right._form)

    await send(visitor, right, 'Right tab')
    await send(visitor, left, 'Left tab')
    await send(visitor, right, 'Right tab')

    assert.equal(await postsTitled('Right tab'), 1)
    assert.equal(await postsTitled('Left tab'), 1)
  })

  test('a failed validation keeps the token open: the fixed form is stored', async ({ assert }) => {
    const visitor = new Visitor()
    const form = await openForm(visitor)
    const failed = await send(visitor, form, 'x')
    assert.equal(textOf(failed.html, 'title-error'), 'Enter at least 3 characters')

    const page = await send(visitor, form, 'Fixed title')

    assert.include(page.html, 'Post has been created')
    assert.equal(await postsTitled('Fixed title'), 1)
  })

  test('a token this session never gave out stores nothing and brings the text back', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    const form = await openForm(visitor)

    const page = await send(visitor, { ...form, _form: 'made-up-token' }, 'Not a real form')

    assert.deepEqual(page.redirects, ['/posts/create'])
    assert.include(page.html, 'This form is too old to be sent, so nothing was saved.')
    assert.include(page.html, 'value="Not a real form"')
    assert.include(page.html, '>Sent from a form with a one-time token.</textarea>')
    assert.equal(await postsTitled('Not a real form'), 0)
  })

  test(`only the last ${FormToken.maxKept} forms are kept; an older one brings its text back`, async ({
    assert,
  }) => {
    const visitor = new Visitor()
    const oldest = await openForm(visitor)
    const forms: Awaited<ReturnType<typeof openForm>>[] = []
    for (let index = 0; index < FormToken.maxKept; index++) {
      forms.push(await openForm(visitor))
    }

    const kept = await send(visitor, forms[0], 'Oldest kept tab')
    const old = await send(visitor, oldest, 'Dropped tab')

    assert.include(kept.html, 'Post has been created')
    assert.include(old.html, 'This form is too old to be sent, so nothing was saved.')
    assert.include(old.html, 'value="Dropped tab"')
    assert.equal(await postsTitled('Oldest kept tab'), 1)
    assert.equal(await postsTitled('Dropped tab'), 0)
  })
})

test.group('Form tokens expire', () => {
  /**
   * A session's values in the session package's own store, behind the calls
   * FormToken makes.
   */
  function session() {
    const store = new Store({})
    return {
      get: (key: string) => store.get(key),
      put: (key: string, value: any) => store.set(key, value),
      forget: (key: string) => store.unset(key),
      all: () => store.all(),
    } as unknown as SessionContract
  }

  test('a token is open until sent, and unknown after the session age', ({ assert }) => {
    const values = session()
    const issuedAt = Date.now()
    const token = FormToken.issue(values, issuedAt)

    assert.equal(FormToken.state(values, token, issuedAt + 1000), 'open')
    FormToken.markSent(values, token, issuedAt + 1000)
    assert.equal(FormToken.state(values, token, issuedAt + 2000), 'sent')
    assert.equal(FormToken.state(values, token, issuedAt + SessionStore.ageMs), 'unknown')
  })

  test('issuing a form drops the expired tokens from the session', ({ assert }) => {
    const values = session()
    const issuedAt = Date.now()
    const expired = FormToken.issue(values, issuedAt)

    const fresh = FormToken.issue(values, issuedAt + SessionStore.ageMs)

    assert.deepEqual(Object.keys(values.all().forms), [fresh])
    assert.notEqual(expired, fresh)
  })

  test('anything but a string is unknown', ({ assert }) => {
    const values = session()
    FormToken.issue(values)

    for (const token of [['a'], { a: 1 }, 42, null]) {
      assert.equal(FormToken.state(values, token), 'unknown')
    }
  })
})
