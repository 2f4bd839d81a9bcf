import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { figure, languageOf, mainFleet, visitorOf } from '../helpers/fleet'

test.group('Fleet: a rolling restart', () => {
  test('each instance in turn gets SIGTERM and comes back: no request fails', async ({
    assert,
  }) => {
    const fleet = mainFleet()
    const pidsBefore = fleet.instances.map((app) => app.pid)
    let restarting = true
    const failures: string[] = []
    const titles: string[] = []
    let requests = 0

    // Two readers and a writer, one request after another, until the
    // restart is over.
    const reader = async (language: string) => {
      const visitor = visitorOf(fleet)
      await visitor.get(`/language/${language}`)
      while (restarting) {
        const page = await visitor.get('/posts')
        requests++
        if (page.status !== 200 || languageOf(page.html) !== language) {
          failures.push(`GET /posts: ${page.status} ${languageOf(page.html)}`)
        }
      }
    }
    const writer = async () => {
      const visitor = visitorOf(fleet)
      while (restarting) {
        const title = `Rolling ${randomUUID().slice(0, 8)}`
        const page = await visitor.submit('/posts/create', '/posts', { title, body: 'Steady' })
        requests += 2
        titles.push(title)
        if (page.status !== 200 || page.redirects.join() !== '/posts') {
          failures.push(`POST /posts: ${page.status} ${page.redirects.join()}`)
        }
      }
    }

    const traffic = Promise.all([reader('fr'), reader('it'), writer()])
    const started = Date.now()
    try {
      await fleet.rollingRestart()
    } finally {
      restarting = false
      await traffic
    }
    figure('rolling restart of 3 instances', `${Date.now() - started} ms, ${requests} requests`)
    figure('failed requests during the rolling restart', failures.length)

    assert.deepEqual(failures, [])
    for (const [index, app] of fleet.instances.entries()) {
      assert.isTrue(app.running)
      assert.notEqual(app.pid, pidsBefore[index], `${app.name} is a new process`)
    }
    const { rows } = await fleet.postgres.query(
      'SELECT title, count(*)::int AS n FROM posts WHERE title = ANY($1) GROUP BY title',
      [titles]
    )
    assert.lengthOf(rows, titles.length)
    assert.isTrue(rows.every((row) => row.n === 1))
  })
})
