import { test } from '@japa/runner'
import SessionStore from 'App/Services/SessionStore'
import { Visitor, textOf, unsignedCookieValue } from '../../helpers/visitor'

const driver = SessionStore.driver

test.group('Session inspector: secrets', () => {
  test('the CSRF secret is shortened like the session id, never shown whole', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/posts/create')
    const secret = unsignedCookieValue(visitor.cookies.get('csrf-secret')!)

    const page = await visitor.get('/session')

    assert.equal(textOf(page.html, 'inspector-csrf'), `${secret.slice(0, 8)}…`)
    assert.notInclude(page.html, secret)
    assert.notInclude(page.html, secret.slice(0, 9))
  })

  test('the Redis card says when a request restarts the TTL')
    .skip(driver !== 'redis', 'Only the redis driver shows a TTL')
    .run(async ({ assert }) => {
      const page = await new Visitor().get('/session')

      const card = textOf(page.html, 'inspector-storage')!
      assert.include(
        card,
        'A request that changes the session writes the key and starts its TTL again; a request that changes nothing leaves the key and its TTL alone, unless it was written more than 12 minutes ago (a tenth of the session age).'
      )
      assert.notInclude(card, 'every request starts the TTL again')
    })
})
