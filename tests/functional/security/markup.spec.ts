import { test } from '@japa/runner'
import SessionStore from 'App/Services/SessionStore'
import { Visitor, appUrl } from '../../helpers/visitor'

const META = '<meta http-equiv=refresh content=1;url=https://evil.example/>'

test.group(`Security: markup in a field name (${SessionStore.driver} driver)`, () => {
  test('a field named like a meta refresh never reaches the form page as markup', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    const page = await visitor.submit('/posts/create', '/posts', { title: 'ab', [META]: 'x' })

    assert.deepEqual(page.redirects, ['/posts/create'])
    assert.include(page.html, 'Enter at least 3 characters')
    assert.notInclude(page.html, '<meta http-equiv=refresh')
    assert.notInclude(page.html, 'evil.example')
  })

  test('nor after a post without a token', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/posts/create')
    const page = await visitor.post(
      '/posts',
      { title: 'ab', [META]: 'x' },
      { headers: { referer: `${appUrl()}/posts/create` } }
    )

    assert.deepEqual(page.redirects, ['/posts/create'])
    assert.notInclude(page.html, '<meta http-equiv=refresh')
    assert.notInclude(page.html, 'evil.example')
  })
})
