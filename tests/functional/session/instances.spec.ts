import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import SessionStore from 'App/Services/SessionStore'
import { startRedis } from '../../../support/services'
import { AppProcess } from '../../../support/app_process'
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
 * What two instances need to share sessions, per driver: the redis driver a
 * Redis, the cookie driver only the same APP_KEY (both inherit the suite's).
 * The file driver keeps sessions on one server's disk, so it needs sticky
 * sessions instead (README, "Scale-out").
 */
const shared: Partial<
  Record<
    typeof SessionStore.driver,
    () => Promise<{
      env: Record<string, string>
      stop: () => Promise<void>
    }>
  >
> = {
  redis: async () => {
    const redis = await startRedis()
    return {
      env: { SESSION_DRIVER: 'redis', REDIS_PORT: String(redis.port) },
      stop: () => redis.stop(),
    }
  },
  cookie: async () => ({ env: { SESSION_DRIVER: 'cookie' }, stop: async () => {} }),
}

const setup = shared[SessionStore.driver]
if (setup) {
  test.group(`Two instances share sessions (${SessionStore.driver} driver)`, (group) => {
    let first: AppProcess
    let second: AppProcess

    group.setup(async () => {
      const store = await setup()
      ;[first, second] = await Promise.all([
        AppProcess.start(store.env),
        AppProcess.start(store.env),
      ])
      return async () => {
        await Promise.all([first.kill(), second.kill()])
        await store.stop()
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
      assert.equal(
        textOf(there.html, 'current-language'),
        'Votre langue actuelle est français (fr)'
      )

      await throughOther(visitor, second).get('/language/it')
      const back = await visitor.get('/')
      assert.equal(textOf(back.html, 'current-language'), 'La tua lingua attuale è italiano (it)')
    })

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
    })
  })
}
