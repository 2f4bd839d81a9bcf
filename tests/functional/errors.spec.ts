import { test } from '@japa/runner'
import { Visitor, visibleText } from '../helpers/visitor'

test.group('Error pages', () => {
  test('an unknown page answers 404 in the visitor language', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/it')

    const page = await visitor.get('/no/such/page')

    assert.equal(page.status, 404)
    assert.include(page.html, '<html lang="it">')
    assert.include(visibleText(page.html), 'Pagina non trovata')
  })

  test('a wrong method gets the 404 page, not a server error', async ({ assert }) => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const page = await new Visitor().request(method, '/posts')
      assert.equal(page.status, 404, method)
      assert.include(visibleText(page.html), 'Page not found')
    }
  })

  test('API clients get the error as JSON', async ({ assert }) => {
    const page = await new Visitor().get('/missing', { headers: { accept: 'application/json' } })

    assert.equal(page.status, 404)
    assert.deepEqual(JSON.parse(page.html), { message: 'Page not found' })
  })
})
