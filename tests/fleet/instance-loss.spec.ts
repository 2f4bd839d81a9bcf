import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { csrfToken, hiddenFields } from '../helpers/visitor'
import { figure, inFlight, languageOf, mainFleet, visitorOf } from '../helpers/fleet'

test.group('Fleet: an instance dies', (group) => {
  // Whatever happens, the instance comes back for the next tests.
  group.each.teardown(async () => {
    const fleet = mainFleet()
    for (const app of fleet.instances.filter((a) => !a.running)) {
      app.start()
      await app.waitUntilUp()
    }
    await fleet.haproxy.waitUntilUp(fleet.instances.map((a) => a.name))
  })

  test('SIGKILL during 200 page views in a row: none of them fails', async ({ assert }) => {
    const fleet = mainFleet()
    const visitor = visitorOf(fleet)
    await visitor.get('/language/it')

    const victim = fleet.instance('app-2')
    const failures: string[] = []
    let killed: Promise<unknown> | undefined
    for (let i = 0; i < 200; i++) {
      if (i === 60) {
        // Frozen first, so that the next request for app-2 is in flight, with
        // no answer, when the instance dies.
        victim.signalGroup('SIGSTOP')
        killed = inFlight(fleet, 'app-2', 1).then(() => victim.kill())
        // Awaited after the loop; until then a failure must not go unhandled.
        killed.catch(() => {})
      }
      const page = await visitor.get(i % 2 ? '/' : '/posts')
      if (page.status !== 200 || languageOf(page.html) !== 'it') {
        failures.push(`request ${i}: ${page.status} ${languageOf(page.html)}`)
      }
    }

    await killed
    assert.isFalse(victim.running)
    figure('failed page views out of 200 while app-2 was killed', failures.length)
    assert.deepEqual(failures, [])
  })

  test('a post in flight when its instance dies is stored once or fails visibly', async ({
    assert,
  }) => {
    const fleet = mainFleet()
    // Nine visitors with a form each, posted at once: three go to app-3.
    const writers = await Promise.all(
      Array.from({ length: 9 }, async () => {
        const visitor = visitorOf(fleet)
        const form = await visitor.get('/posts/create')
        const title = `In flight ${randomUUID()}`
        const fields = { ...hiddenFields(form.html), _csrf: csrfToken(form.html), title, body: 'x' }
        return { visitor, title, fields }
      })
    )

    // HAProxy closes the connection of a request whose instance died
    // without answering, and a browser then sends the form once more: so
    // does this visitor. A failure the second time is the browser's error
    // page: visible.
    let resent = 0
    // app-3 frozen: the posts sent to it wait, unanswered, until it dies.
    const victim = fleet.instance('app-3')
    victim.signalGroup('SIGSTOP')
    const sent = writers.map(async ({ visitor, title, fields }) => {
      const send = () => visitor.post('/posts', fields)
      const page = await send().catch(() => {
        resent++
        return send().catch(() => ({ status: 0, redirects: [] as string[] }))
      })
      return { title, status: page.status, redirects: page.redirects }
    })
    await inFlight(fleet, 'app-3', 3)
    await victim.kill()
    const results = await Promise.all(sent)

    for (const result of results) {
      const { rows } = await fleet.postgres.query(
        'SELECT count(*)::int AS n FROM posts WHERE title = $1',
        [result.title]
      )
      const stored = rows[0].n
      assert.isAtMost(stored, 1, `${result.title} stored ${stored} times`)
      if (result.status === 200) {
        // Success: the redirect to the list, with the post stored.
        assert.deepEqual(result.redirects, ['/posts'])
        assert.equal(stored, 1)
      } else {
        // A visible failure: an error page, or no page at all.
        assert.isTrue(result.status === 0 || result.status >= 500, `status ${result.status}`)
      }
    }
    figure(
      'posts in flight when app-3 was killed (stored / failed visibly / sent again)',
      `${results.filter((r) => r.status === 200).length} / ${results.filter((r) => r.status !== 200).length} / ${resent}`
    )
  })
})
