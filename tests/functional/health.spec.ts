import { hostname } from 'node:os'
import { test } from '@japa/runner'
import SessionStore from 'App/Services/SessionStore'
import { AppProcess } from '../../support/app_process'
import { Visitor } from '../helpers/visitor'

test.group('Health check', () => {
  test('names the session driver and says its store answers, and never the host name', async ({
    assert,
  }) => {
    const page = await new Visitor().get('/health', { headers: { accept: 'application/json' } })

    assert.equal(page.status, 200)
    assert.deepEqual(JSON.parse(page.html), {
      status: 'ok',
      session: { driver: SessionStore.driver, store: { ok: true } },
    })
    assert.notInclude(page.html, hostname())
  })

  test('names the instance its operator named (INSTANCE_NAME)')
    .skip(SessionStore.driver !== 'cookie', 'the name does not depend on the driver')
    .run(async ({ assert }) => {
      const app = await AppProcess.start({ INSTANCE_NAME: 'app-2' })
      try {
        const health = (await (await fetch(`${app.url}/health`)).json()) as { instance?: string }
        assert.equal(health.instance, 'app-2')
      } finally {
        await app.kill()
      }
    })
})
