import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import { Visitor, csrfToken, hiddenFields, textOf } from '../../helpers/visitor'

/**
 * One rendered form as a browser tab holds it: its hidden fields (the CSRF
 * token and the submission id) and where it was opened.
 */
async function openForm(visitor: Visitor) {
  const page = await visitor.get('/posts/create')
  const fields: Record<string, string> = { ...hiddenFields(page.html), _csrf: csrfToken(page.html) }
  return { fields, referer: page.url }
}

function send(visitor: Visitor, form: Awaited<ReturnType<typeof openForm>>, title: string) {
  return visitor.post(
    '/posts',
    { ...form.fields, title, body: 'Sent from a form with a submission id.' },
    { headers: { referer: form.referer } }
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
    assert.include(textOf(first.html, 'main'), 'Post has been created')

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

  test('the same form sent twice at once stores one post', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/en')
    const form = await openForm(visitor)

    await Promise.all([send(visitor, form, 'Double click'), send(visitor, form, 'Double click')])

    assert.equal(await postsTitled('Double click'), 1)
  })

  test('two forms opened side by side are each stored once', async ({ assert }) => {
    const visitor = new Visitor()
    const left = await openForm(visitor)
    const right = await openForm(visitor)
    assert.notEqual(left.fields._submission, right.fields._submission)

    await send(visitor, right, 'Right tab')
    await send(visitor, left, 'Left tab')
    await send(visitor, right, 'Right tab')

    assert.equal(await postsTitled('Right tab'), 1)
    assert.equal(await postsTitled('Left tab'), 1)
  })

  test('a failed validation stores nothing: the fixed form is stored', async ({ assert }) => {
    const visitor = new Visitor()
    const form = await openForm(visitor)
    const failed = await send(visitor, form, 'x')
    assert.equal(textOf(failed.html, 'title-error'), 'Enter at least 3 characters')

    const page = await send(visitor, form, 'Fixed title')

    assert.include(page.html, 'Post has been created')
    assert.equal(await postsTitled('Fixed title'), 1)
  })

  test('a submission id that is not one of ours is ignored', async ({ assert }) => {
    const visitor = new Visitor()
    const page = await visitor.submit('/posts/create', '/posts', {
      _submission: '<script>alert(1)</script>',
      title: 'Odd submission',
      body: 'Still stored',
    })
    assert.deepEqual(page.redirects, ['/posts'])
    const rows = await Database.from('posts').where('title', 'Odd submission')
    assert.lengthOf(rows, 1)
    assert.isNull(rows[0].submission_id)
  })
})
