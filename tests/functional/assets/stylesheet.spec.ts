import { test } from '@japa/runner'
import { Visitor } from '../../helpers/visitor'

test.group('The stylesheet', () => {
  test('every page links /css/app.css and it is served as CSS', async ({ assert }) => {
    const visitor = new Visitor()
    const page = await visitor.get('/')
    assert.include(page.html, '<link rel="stylesheet" href="/css/app.css">')

    const css = await visitor.get('/css/app.css')

    assert.equal(css.status, 200)
    assert.match(css.headers.get('content-type') || '', /^text\/css/)
    assert.include(css.html, '.site-header')
  })

  test('serving it starts no session', async ({ assert }) => {
    const css = await new Visitor().get('/css/app.css')

    assert.equal(css.status, 200)
    assert.deepEqual(css.headers.getSetCookie(), [])
  })

  test('a missing file is the 404 page, not a server error', async ({ assert }) => {
    const page = await new Visitor().get('/css/missing.css')

    assert.equal(page.status, 404)
  })
})
