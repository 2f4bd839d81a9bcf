import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { textOf, visibleText } from '../helpers/visitor'
import { attempt, figure, mainFleet, successMessages, visitorOf } from '../helpers/fleet'
import { poll } from '../../support/fleet/index'

test.group('Fleet: PostgreSQL stops and starts', (group) => {
  // Whatever happens, PostgreSQL runs again for the next tests.
  group.each.teardown(async () => {
    const postgres = mainFleet().postgres
    if (!postgres.service.running) await postgres.start()
  })

  test('posts answer 503 meanwhile, and every post is there afterwards', async ({ assert }) => {
    const fleet = mainFleet()
    const visitor = visitorOf(fleet)
    await visitor.get('/language/it')
    const titles = [1, 2, 3].map((n) => `Before the stop ${n} ${randomUUID().slice(0, 8)}`)
    for (const title of titles) {
      const page = await visitor.submit('/posts/create', '/posts', { title, body: 'Kept' })
      assert.equal(successMessages(page.html), 1)
    }

    await fleet.postgres.service.stop()

    // Every instance: the translated 503 page, at once.
    const during: Awaited<ReturnType<typeof attempt>>[] = []
    for (let i = 0; i < fleet.instances.length; i++) {
      during.push(await attempt(() => visitor.get('/posts')))
    }
    figure('PostgreSQL down: slowest 503 of /posts', `${Math.max(...during.map((d) => d.ms))} ms`)
    for (const page of during) {
      assert.equal(page.status, 503)
      assert.include(visibleText(page.html), 'Articoli non disponibili')
      assert.isBelow(page.ms, 3000)
    }
    // Pages without posts still work.
    assert.equal((await visitor.get('/')).status, 200)

    // A post written meanwhile is not lost: the form comes back with it.
    const lateTitle = `During the stop ${randomUUID().slice(0, 8)}`
    const refused = await visitor.submit('/posts/create', '/posts', {
      title: lateTitle,
      body: 'Typed while the database was down',
    })
    assert.deepEqual(refused.redirects, ['/posts/create'])
    assert.include(textOf(refused.html, 'main'), 'il tuo articolo non è stato salvato')
    assert.include(refused.html, `value="${lateTitle}"`)
    assert.include(refused.html, 'Typed while the database was down')

    await fleet.postgres.start()

    // The instances reconnect by themselves.
    const list = await poll('posts listed again', async () => {
      const page = await visitor.get('/posts')
      return page.status === 200 && page
    })
    for (const title of titles) {
      assert.include(visibleText(list.html), title)
    }
    assert.notInclude(visibleText(list.html), lateTitle)
  })
})
