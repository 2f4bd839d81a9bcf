import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import { Visitor, appUrl, visibleText } from '../../helpers/visitor'

test.group('CSRF protection', (group) => {
  group.each.setup(async () => {
    await Database.from('posts').delete()
  })

  test('a post without a token saves nothing and keeps what was typed', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    await visitor.get('/posts/create')

    const page = await visitor.post(
      '/posts',
      { title: 'Sneaky', body: 'No token here' },
      { headers: { referer: `${appUrl()}/posts/create` } }
    )

    assert.deepEqual(page.redirects, ['/posts/create'])
    assert.include(
      visibleText(page.html),
      "Votre formulaire avait expiré, rien n'a été enregistré."
    )
    assert.include(page.html, 'value="Sneaky"')
    assert.lengthOf(await Database.from('posts'), 0)
  })

  test('a post with a wrong token saves nothing', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/posts/create')

    const page = await visitor.post(
      '/posts',
      { _csrf: 'forged-token', title: 'Forged', body: 'Forged body' },
      { headers: { referer: `${appUrl()}/posts/create` } }
    )

    assert.isBelow(page.status, 500)
    assert.include(visibleText(page.html), 'Your form had expired, so nothing was saved.')
    assert.lengthOf(await Database.from('posts'), 0)
  })

  test('a token from another visitor session is refused', async ({ assert }) => {
    const other = new Visitor()
    const otherForm = await other.get('/posts/create')
    const stolen = otherForm.html.match(/name='_csrf' value='([^']+)'/)![1]

    const visitor = new Visitor()
    await visitor.get('/posts/create')
    await visitor.post('/posts', { _csrf: stolen, title: 'Stolen token', body: 'x' })

    assert.lengthOf(await Database.from('posts'), 0)
  })

  test('a forged cross-site post without a session cookie gets the 403 page', async ({
    assert,
  }) => {
    const page = await new Visitor().post(
      '/posts',
      { title: 'Cross site', body: 'x' },
      { headers: { referer: 'https://evil.example/form' } }
    )

    assert.equal(page.status, 403)
    assert.deepEqual(page.redirects, [])
    assert.include(visibleText(page.html), 'Request refused')
    assert.lengthOf(await Database.from('posts'), 0)
  })
})
