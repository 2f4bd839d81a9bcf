import { hostname } from 'node:os'
import { test } from '@japa/runner'
import Env from '@ioc:Adonis/Core/Env'
import SessionStore from 'App/Services/SessionStore'
import { Visitor } from '../helpers/visitor'

test.group('Health check', () => {
  test('names the instance and the session driver and says its store answers', async ({
    assert,
  }) => {
    const page = await new Visitor().get('/health', { headers: { accept: 'application/json' } })

    assert.equal(page.status, 200)
    assert.deepEqual(JSON.parse(page.html), {
      status: 'ok',
      instance: `${hostname()}:${Env.get('PORT')}`,
      session: { driver: SessionStore.driver, store: { ok: true } },
    })
  })
})
