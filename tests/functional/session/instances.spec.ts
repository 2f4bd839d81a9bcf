import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import { AppProcess } from '../../../support/app_process'
import { startRedis } from '../../../support/services'
import type { RedisServer } from '../../../support/services'
import { FRENCH, ITALIAN, currentLanguage } from '../../helpers/language'
import { driver } from '../../helpers/session_store'
import { Visitor, csrfToken, textOf } from '../../helpers/visitor'

/**
 * The same visitor (the same cookies) talking to another instance, as a
 * load balancer without sticky sessions would send them.
 */
function throughOther(visitor: Visitor, other: AppProcess) {
  const moved = new Visitor(other.url)
  moved.cookies = visitor.cookies
  return moved
}

/**
 * The file driver keeps sessions on one server's disk, so it needs sticky
 * sessions instead (README, "Scale-out").
 */
const SHARES = driver !== 'file'
const STICKY = 'the file driver keeps sessions on one server: sticky sessions instead'

/**
 * Two instances: with the redis driver on one Redis of the group's own,
 * with the cookie driver with nothing but the same APP_KEY (both inherit
 * the suite's).
 */
test.group(`Two instances share sessions (${driver} driver)`, (group) => {
  let first: AppProcess
  let second: AppProcess

  group.setup(async () => {
    if (!SHARES) {
      return
    }
    let redis: RedisServer | undefined
    const env: Record<string, string> = { SESSION_DRIVER: driver }
    if (driver === 'redis') {
      redis = await startRedis()
      env.REDIS_PORT = String(redis.port)
    }
    const started = await Promise.allSettled([AppProcess.start(env), AppProcess.start(env)])
    const apps = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
    if (apps.length < 2) {
      // No cleanup runs for a setup that failed: leave no process behind.
      await Promise.all(apps.map((app) => app.kill()))
      await redis?.stop()
      throw (started.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason
    }
    ;[first, second] = apps
    return async () => {
      await Promise.all([first.kill(), second.kill()])
      await redis?.stop()
    }
  })

  group.each.setup(async () => {
    await Database.from('posts').delete()
  })

  test('a language set through one instance is seen through the other', async ({ assert }) => {
    assert.notEqual(first.port, second.port)
    const visitor = new Visitor(first.url)
    await visitor.get('/language/fr')

    const there = await throughOther(visitor, second).get('/')
    assert.equal(currentLanguage(there.html), FRENCH)

    await throughOther(visitor, second).get('/language/it')
    const back = await visitor.get('/')
    assert.equal(currentLanguage(back.html), ITALIAN)
  }).skip(!SHARES, STICKY)

  test('a form opened on one instance is accepted by the other', async ({ assert }) => {
    const visitor = new Visitor(first.url)
    const token = csrfToken((await visitor.get('/posts/create')).html)

    const page = await throughOther(visitor, second).post('/posts', {
      _csrf: token,
      title: 'Across instances',
      body: 'Posted on the second instance with the form of the first',
    })

    assert.deepEqual(page.redirects, ['/posts'])
    assert.include(textOf(page.html, 'main'), 'Post has been created')
    assert.lengthOf(await Database.from('posts').where('title', 'Across instances'), 1)
  }).skip(!SHARES, STICKY)
})
