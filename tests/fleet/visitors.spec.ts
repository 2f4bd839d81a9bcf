import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { Fleet } from '../../support/fleet/index'
import { csrfToken, textOf, visibleText } from '../helpers/visitor'
import {
  instanceOf,
  languageOf,
  mainFleet,
  startSideFleet,
  successMessages,
  visitorOf,
} from '../helpers/fleet'

/**
 * The guide's flow through HAProxy, whose round robin sends each request of
 * the visitor to the next instance: the language, a flash message, a post.
 */
async function visitAcrossInstances(fleet: Fleet, assert: any) {
  const visitor = visitorOf(fleet)
  assert.equal((await visitor.get('/language/fr')).status, 200)

  const served = new Set<string>()
  for (let i = 0; i < fleet.instances.length; i++) {
    const page = await visitor.get('/session')
    assert.equal(languageOf(page.html), 'fr')
    served.add(instanceOf(page.html)!)
  }
  assert.deepEqual(
    [...served].sort(),
    fleet.instances.map((app) => app.name)
  )

  // Flashed on one instance, shown by the next one, gone on the third.
  const inspector = await visitor.get('/session')
  const flashed = await visitor.post(
    '/session/flash',
    { _csrf: csrfToken(inspector.html) },
    { headers: { referer: inspector.url } }
  )
  assert.deepEqual(flashed.redirects, ['/session#flash-current'])
  assert.equal(successMessages(flashed.html), 1)
  assert.equal(successMessages((await visitor.get('/session')).html), 0)

  // The form comes from one instance, the post goes to another, with the
  // same CSRF token.
  const title = `Across the fleet ${randomUUID().slice(0, 8)}`
  const posted = await visitor.submit('/posts/create', '/posts', {
    title,
    body: 'Written through HAProxy',
  })
  assert.deepEqual(posted.redirects, ['/posts'])
  assert.equal(successMessages(posted.html), 1)
  assert.include(visibleText(posted.html), "L'article a été créé")
  assert.equal(successMessages((await visitor.get('/posts')).html), 0)

  for (const app of fleet.instances) {
    const list = await fetch(`http://127.0.0.1:${app.port}/posts`)
    assert.include(visibleText(await list.text()), title, `${app.name} lists the post`)
  }
  const { rows } = await fleet.postgres.query(
    'SELECT count(*)::int AS n FROM posts WHERE title = $1',
    [title]
  )
  assert.equal(rows[0].n, 1)
}

test.group('Fleet: a visitor across instances', () => {
  test('redis driver: the language, a flash message shown once, a post with its CSRF token', async ({
    assert,
  }) => {
    await visitAcrossInstances(mainFleet(), assert)
  })
})

test.group('Fleet: a visitor across instances with the cookie driver', (group) => {
  let fleet: Fleet

  group.setup(async () => {
    fleet = await startSideFleet('cookie', { driver: 'cookie' })
    return () => fleet.stop()
  })

  test('the shared APP_KEY opens the cookie on every instance', async ({ assert }) => {
    await visitAcrossInstances(fleet, assert)
  })

  test('no instance left: HAProxy answers its own 503 page, in the three languages', async ({
    assert,
  }) => {
    await Promise.all(fleet.instances.map((app) => app.kill()))
    const page = await visitorOf(fleet).get('/')

    assert.equal(page.status, 503)
    assert.equal(page.headers.get('retry-after'), '5')
    const text = visibleText(page.html)
    assert.include(text, 'The site cannot answer right now')
    assert.include(text, 'Le site ne peut pas répondre pour le moment')
    assert.include(text, 'Il sito non può rispondere in questo momento')
  })
})

test.group('Fleet: a visitor across instances with the database driver', (group) => {
  let fleet: Fleet

  group.setup(async () => {
    fleet = await startSideFleet('database', { driver: 'database' })
    return () => fleet.stop()
  })

  test('the sessions live in the shared PostgreSQL: every instance reads them', async ({
    assert,
  }) => {
    await visitAcrossInstances(fleet, assert)
    const { rows } = await fleet.postgres.query('SELECT count(*)::int AS n FROM sessions')
    assert.isAtLeast(rows[0].n, 1)
  })
})

test.group('Fleet: the file driver', (group) => {
  let fleet: Fleet

  group.setup(async () => {
    fleet = await startSideFleet('file', { driver: 'file' })
    return () => fleet.stop()
  })

  test('a visitor stays on one instance, and loses the session with it', async ({ assert }) => {
    const visitor = visitorOf(fleet)
    await visitor.get('/language/it')

    const served = new Set<string>()
    for (let i = 0; i < 4; i++) {
      const page = await visitor.get('/session')
      assert.equal(languageOf(page.html), 'it')
      served.add(instanceOf(page.html)!)
    }
    assert.lengthOf([...served], 1)
    const home = [...served][0]
    assert.equal(visitor.cookies.get('FLEET_SERVER'), home)

    // The session file is on that instance's disk only: when the instance
    // is gone, the next one starts a new session.
    await fleet.instance(home).kill()
    const page = await visitor.get('/session')
    assert.equal(page.status, 200)
    assert.notEqual(instanceOf(page.html), home)
    assert.equal(languageOf(page.html), 'en')
    assert.notInclude(textOf(page.html, 'session-values'), 'userLanguage')
  })
})
