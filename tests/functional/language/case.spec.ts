import { test } from '@japa/runner'
import { Visitor, textOf, appUrl } from '../../helpers/visitor'

test.group('Language names in any case', () => {
  test('/language/{name} stores {stored}')
    .with([
      { name: 'EN', stored: 'English (en)' },
      { name: 'Fr', stored: 'français (fr)' },
      { name: 'iT', stored: 'italiano (it)' },
    ])
    .run(async ({ assert }, { name, stored }) => {
      const visitor = new Visitor()

      const page = await visitor.get(`/language/${name}`, { headers: { referer: `${appUrl()}/` } })

      assert.deepEqual(page.redirects, ['/'])
      assert.include(textOf(page.html, 'current-language')!, stored)
      assert.notInclude(page.html, 'flash-error')
    })

  test('a name that is no language in any case is still refused', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/FR')

    const page = await visitor.get('/language/DE', { headers: { referer: `${appUrl()}/` } })

    assert.include(textOf(page.html, 'current-language')!, 'français (fr)')
    assert.include(page.html, 'flash-error')
  })
})
