import { test } from '@japa/runner'
import net from 'node:net'
import { mkdirSync, rmSync } from 'node:fs'
import Database from '@ioc:Adonis/Lucid/Database'
import { AppProcess } from '../../../support/app_process'
import { until } from '../../../support/poll'
import { freePort, startRedis } from '../../../support/services'
import type { RedisServer } from '../../../support/services'
import { ITALIAN, NOT_SET, currentLanguage } from '../../helpers/language'
import { driver, sessionFile } from '../../helpers/session_store'
import { Visitor, csrfToken, visibleText } from '../../helpers/visitor'

/**
 * "At once": the README promises a few milliseconds, and without the
 * app's fail-fast settings a request waits about 20 s for Redis. The bound
 * is generous for a busy 2-CPU machine; the figures are the benchmark's.
 */
const AT_ONCE_MS = 3000

/**
 * Each page a visitor may open while the store is down, and how to open it.
 */
const pages: [
  string,
  (visitor: Visitor, token: string) => Promise<{ status: number; html: string }>,
][] = [
  ['home', (visitor) => visitor.get('/')],
  ['posts', (visitor) => visitor.get('/posts')],
  ['post form', (visitor) => visitor.get('/posts/create')],
  ['language switch', (visitor) => visitor.get('/language/it')],
  ['unknown page', (visitor) => visitor.get('/no/such/page')],
  [
    'post submit',
    (visitor, token) => visitor.post('/posts', { _csrf: token, title: 'During outage', body: 'x' }),
  ],
]

async function timed<T>(action: () => Promise<T>) {
  const started = performance.now()
  const result = await action()
  return { result, ms: performance.now() - started }
}

/**
 * Sends one command to Redis over a socket of its own.
 */
function redisCommand(port: number, command: string) {
  return new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`))
    socket.once('data', (data) => {
      socket.destroy()
      resolve(data.toString())
    })
    socket.once('error', reject)
  })
}

/**
 * A visitor of the given instance whose stored language is `language`.
 */
async function visitorIn(app: AppProcess, language: string) {
  const visitor = new Visitor(app.url)
  await visitor.get(`/language/${language}`)
  return visitor
}

const REDIS_ONLY = 'only the redis driver has a store that can go down'

/**
 * An instance of the app and a redis-server of the group's own, stopped and
 * started again on the same port. Each test starts from a Redis that
 * answers, holds nothing, and is used by the app again.
 */
test.group(`Redis outage (${driver} driver)`, (group) => {
  let redis: RedisServer
  let app: AppProcess

  group.setup(async () => {
    if (driver !== 'redis') {
      return
    }
    redis = await startRedis()
    app = await AppProcess.start({
      SESSION_DRIVER: 'redis',
      REDIS_PORT: String(redis.port),
    }).catch(async (error) => {
      // No cleanup runs for a setup that failed: leave no redis-server behind.
      await redis.stop()
      throw error
    })
    return async () => {
      await app.kill()
      await redis.stop()
    }
  })

  group.each.setup(async () => {
    if (driver !== 'redis') {
      return
    }
    if (!redis.running) {
      redis = await startRedis(redis.port)
    }
    await redisCommand(redis.port, 'FLUSHALL')
    await until(async () => (await fetch(`${app.url}/health`)).status === 200, {
      timeoutMs: 10_000,
      message: 'the app to use Redis again',
    })
  })

  test('every page answers the 503 page at once while Redis is down', async ({ assert }) => {
    const visitor = await visitorIn(app, 'fr')
    const token = csrfToken((await visitor.get('/posts/create')).html)
    const postsBefore = (await Database.from('posts').count('* as total'))[0].total

    await redis.stop()

    for (const [name, open] of pages) {
      const { result: page, ms } = await timed(() => open(visitor, token))
      assert.equal(page.status, 503, name)
      assert.isBelow(ms, AT_ONCE_MS, name)
      assert.include(visibleText(page.html), 'Session store unavailable', name)
      assert.include(
        visibleText(page.html),
        'The session store is not answering right now. Please try again in a moment.'
      )
      assert.notMatch(page.html, /node_modules|at \S+ \([^)]*:\d+:\d+\)/, name)
    }

    const api = await visitor.get('/', { headers: { accept: 'application/json' } })
    assert.equal(api.status, 503)
    assert.deepEqual(JSON.parse(api.html), { message: 'Session store unavailable' })

    assert.isTrue(app.running, 'the process stays up')
    const postsAfter = (await Database.from('posts').count('* as total'))[0].total
    assert.equal(postsAfter, postsBefore, 'nothing was saved during the outage')
  }).skip(driver !== 'redis', REDIS_ONLY)

  test('/metrics counts the 503s by their cause', async ({ assert }) => {
    const visitor = await visitorIn(app, 'fr')
    const count = async () => {
      const text = await (await fetch(`${app.url}/metrics`)).text()
      const line = text
        .split('\n')
        .find((row) =>
          row.startsWith('http_unavailable_total{cause="E_SESSION_STORE_UNAVAILABLE"}')
        )
      return line ? Number(line.split(' ').pop()) : 0
    }
    const before = await count()

    await redis.stop()
    assert.equal((await visitor.get('/')).status, 503)
    assert.equal((await visitor.get('/posts')).status, 503)

    assert.equal(await count(), before + 2)
  }).skip(driver !== 'redis', REDIS_ONLY)

  test('/health answers 503 and names the failing store', async ({ assert }) => {
    await redis.stop()

    const { result: page, ms } = await timed(() =>
      new Visitor(app.url).get('/health', { headers: { accept: 'application/json' } })
    )

    assert.equal(page.status, 503)
    assert.isBelow(ms, AT_ONCE_MS)
    const health = JSON.parse(page.html)
    assert.equal(health.status, 'unavailable')
    assert.equal(health.session.driver, 'redis')
    assert.isFalse(health.session.store.ok)
    // The store's name only: no address, no raw error, to an unauthenticated client.
    assert.equal(health.session.store.error, 'Redis is unavailable')
  }).skip(driver !== 'redis', REDIS_ONLY)

  test('when Redis returns, requests succeed again without a restart', async ({ assert }) => {
    const visitor = await visitorIn(app, 'fr')
    const pid = app.pid
    await redis.stop()
    assert.equal((await visitor.get('/')).status, 503)

    redis = await startRedis(redis.port)

    // ioredis retries every 50 ms at first, then every 0.5 s.
    await until(async () => (await visitor.get('/')).status === 200, {
      timeoutMs: 10_000,
      message: 'a page once Redis answers again',
    })
    // This redis-server keeps nothing on disk: the visitor starts afresh,
    // and the new session works.
    assert.equal(currentLanguage((await visitor.get('/')).html), NOT_SET)
    const italian = await visitor.get('/language/it')
    assert.equal(currentLanguage(italian.html), ITALIAN)
    assert.equal(app.pid, pid)
    assert.isTrue(app.running)
    assert.equal((await visitor.get('/health')).status, 200)
  }).skip(driver !== 'redis', REDIS_ONLY)

  test('a Redis that stops answering also gets the 503 page at once', async ({ assert }) => {
    const visitor = await visitorIn(app, 'it')

    // CLIENT PAUSE holds every client's commands, as a stuck Redis would.
    // Longer than AT_ONCE_MS, so that a slow 503 fails on its time and not
    // as a 200 after the pause. (CLIENT UNPAUSE would wait for it too.)
    assert.equal(await redisCommand(redis.port, 'CLIENT PAUSE 6000 ALL'), '+OK\r\n')
    const { result: page, ms } = await timed(() => visitor.get('/'))

    assert.equal(page.status, 503)
    assert.isBelow(ms, AT_ONCE_MS)
    const after = await until(
      async () => {
        const next = await visitor.get('/')
        return next.status === 200 && next
      },
      { timeoutMs: 15_000, message: 'a page once the pause is over' }
    )
    assert.equal(currentLanguage(after.html), ITALIAN)
  }).skip(driver !== 'redis', REDIS_ONLY)

  test('SIGTERM during an outage still shuts the app down cleanly', async ({ assert, cleanup }) => {
    // An instance of the test's own: this one is stopped.
    const stopping = await AppProcess.start({
      SESSION_DRIVER: 'redis',
      REDIS_PORT: String(redis.port),
    })
    cleanup(() => stopping.kill())
    const visitor = new Visitor(stopping.url)
    await visitor.get('/language/fr')
    await redis.stop()
    assert.equal((await visitor.get('/')).status, 503)

    const { result: exit, ms } = await timed(() => stopping.stop())

    assert.deepEqual(exit, { code: 0, signal: null })
    assert.isBelow(ms, 3000, 'before the Ignitor gives up waiting')
  }).skip(driver !== 'redis', REDIS_ONLY)
})

/**
 * A session file the app cannot read or replace: a disk error, a permission
 * or, as here, a directory where the file should be.
 */
test.group(`Redis missing at boot (${driver} driver)`, () => {
  test('the log says which Redis does not answer and how to start one', async ({
    assert,
    cleanup,
  }) => {
    const port = String(await freePort())
    // As `npm start` runs it: the development log, which tests otherwise silence.
    const app = await AppProcess.start({
      SESSION_DRIVER: 'redis',
      REDIS_PORT: port,
      NODE_ENV: 'development',
    })
    cleanup(() => app.kill())

    assert.include(app.log(), `Redis at 127.0.0.1:${port} does not answer`)
    assert.include(app.log(), `redis-server --port ${port}`)
    const visitor = new Visitor(app.url)
    assert.equal((await visitor.get('/language/fr')).status, 503)
  }).skip(driver !== 'redis', 'runs once, in the redis run')
})

test.group(`Session folder failure (${driver} driver)`, () => {
  test('a session file that cannot be read answers the 503 page at once', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const path = sessionFile(visitor.sessionId()!)
    rmSync(path)
    mkdirSync(path)

    try {
      const { result: page, ms } = await timed(() => visitor.get('/'))

      assert.equal(page.status, 503)
      assert.isBelow(ms, AT_ONCE_MS)
      assert.include(visibleText(page.html), 'Session store unavailable')
      assert.notMatch(page.html, /node_modules|EISDIR/)
    } finally {
      rmSync(path, { recursive: true })
    }

    const recovered = await visitor.get('/')
    assert.equal(recovered.status, 200)
    assert.equal(currentLanguage(recovered.html), NOT_SET)
  }).skip(driver !== 'file', 'only the file driver keeps sessions in a folder')
})
