import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import { Visitor, csrfToken, hiddenFields, textOf } from '../../helpers/visitor'

test.group('Sending a post form twice', (group) => {
  group.each.setup(async () => {
    await Database.from('posts').delete()
  })

  test('the same form sent twice stores one post, and both answers say it is saved', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    const form = await visitor.get('/posts/create')
    const fields = {
      ...hiddenFields(form.html),
      _csrf: csrfToken(form.html),
      title: 'Sent twice',
      body: 'As a browser resends a form whose connection closed',
    }

    const first = await visitor.post('/posts', fields)
    const second = await visitor.post('/posts', fields)

    for (const page of [first, second]) {
      assert.deepEqual(page.redirects, ['/posts'])
      assert.include(textOf(page.html, 'main'), 'Post has been created')
    }
    assert.lengthOf(await Database.from('posts').where('title', 'Sent twice'), 1)
  })

  test('two forms store two posts, even with the same text', async ({ assert }) => {
    const visitor = new Visitor()
    for (let i = 0; i < 2; i++) {
      await visitor.submit('/posts/create', '/posts', { title: 'Twice on purpose', body: 'Same' })
    }
    assert.lengthOf(await Database.from('posts').where('title', 'Twice on purpose'), 2)
  })

  test('a form refilled after an error keeps its submission id', async ({ assert }) => {
    const visitor = new Visitor()
    const form = await visitor.get('/posts/create')
    const submission = hiddenFields(form.html)._submission
    assert.match(submission, /^[0-9a-f-]{36}$/)

    const refilled = await visitor.post(
      '/posts',
      {
        ...hiddenFields(form.html),
        _csrf: csrfToken(form.html),
        title: 'x',
        body: 'Too short a title',
      },
      { headers: { referer: form.url } }
    )
    assert.deepEqual(refilled.redirects, ['/posts/create'])
    assert.equal(hiddenFields(refilled.html)._submission, submission)
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
