import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import Database from '@ioc:Adonis/Lucid/Database'
import Post from 'App/Models/Post'
import SessionStore from 'App/Services/SessionStore'
import { startRedis } from '../../../support/services'
import { AppProcess } from '../../../support/app_process'
import { requestFrom } from '../../helpers/security'
import { Visitor, csrfToken, visibleText } from '../../helpers/visitor'

const driver = SessionStore.driver

test.group(`Security: the posts list comes a page at a time (${driver} driver)`, (group) => {
  group.each.setup(async () => {
    await Database.from('posts').delete()
    // 45 posts of 5 KB: 3 pages of 20.
    await Post.createMany(
      Array.from({ length: 45 }, (_, i) => ({ title: `Post ${i + 1}`, body: 'x'.repeat(5000) }))
    )
  })

  test('20 posts a page, newest first, with links to the other pages', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')

    const first = await visitor.get('/posts')
    const last = await visitor.get('/posts?page=3')

    assert.lengthOf(first.html.match(/<li class="post">/g)!, 20)
    assert.include(first.html, '>Post 45</h2>')
    assert.notInclude(first.html, '>Post 25</h2>')
    assert.include(visibleText(first.html), 'Page 1 sur 3')
    assert.include(first.html, 'href="/posts?page=2"')
    assert.include(visibleText(first.html), 'Articles plus anciens')
    assert.isBelow(first.html.length, 150_000)
    assert.lengthOf(last.html.match(/<li class="post">/g)!, 5)
    assert.include(last.html, '>Post 1</h2>')
    assert.include(last.html, 'href="/posts?page=2"')
    assert.include(visibleText(last.html), 'Articles plus récents')
  })

  test('?page={$self} gets the 404 page, not an error')
    .with(['abc', '0', '-1', '4', '1.5', '1e3', '99999999999', '%00'])
    .run(async ({ assert }, page) => {
      const visitor = new Visitor()
      await visitor.get('/language/it')

      const response = await visitor.get(`/posts?page=${page}`)

      assert.equal(response.status, 404)
      assert.include(visibleText(response.html), 'Pagina non trovata')
    })

  test('?page repeated gets the 404 page', async ({ assert }) => {
    const response = await new Visitor().get('/posts?page=1&page=2')
    assert.equal(response.status, 404)
  })
})

test.group(`Security: writes are rate-limited per client (${driver} driver)`, (group) => {
  let app: AppProcess
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined

  group.setup(async () => {
    // An app of its own with a limit of 3 writes a minute (the suite's server
    // has a limit no test reaches), and with the redis driver, a Redis of its
    // own: the counts live there.
    redis = driver === 'redis' ? await startRedis() : undefined
    app = await AppProcess.start({
      POST_RATE_LIMIT: '3',
      POST_RATE_WINDOW: '60',
      // The tests' own address stands for a reverse proxy in front.
      TRUSTED_PROXIES: '127.0.0.1',
      ...(redis ? { REDIS_PORT: String(redis.port) } : {}),
    })
    return async () => {
      await app.kill()
      await redis?.stop()
    }
  })

  group.each.setup(async () => {
    await Database.from('posts').delete()
  })

  test('the 4th post in a minute gets the 429 page with Retry-After, and is not saved', async ({
    assert,
  }) => {
    const visitor = new Visitor(app.url)
    await visitor.get('/language/it')
    const post = async (title: string) => {
      const token = csrfToken((await visitor.get('/posts/create')).html)
      return visitor.post('/posts', { _csrf: token, title, body: 'x' }, { followRedirects: false })
    }

    const allowed = [await post('One'), await post('Two'), await post('Three')]
    const refused = await post('Four')

    assert.deepEqual(
      allowed.map((page) => page.status),
      [302, 302, 302]
    )
    assert.equal(refused.status, 429)
    assert.include(visibleText(refused.html), 'Troppe richieste')
    const retryAfter = Number(refused.headers.get('retry-after'))
    assert.isAtLeast(retryAfter, 1)
    assert.isAtMost(retryAfter, 60)
    const titles = (await Database.from('posts').select('title')).map((row) => row.title)
    assert.sameMembers(titles, ['One', 'Two', 'Three'])

    const api = await visitor.request('POST', '/posts', {
      body: '{}',
      headers: { 'content-type': 'application/json', 'accept': 'application/json' },
    })
    assert.equal(api.status, 429)
    assert.deepEqual(JSON.parse(api.html), { message: 'Troppe richieste' })

    assert.equal((await visitor.get('/posts')).status, 200, 'reading is not limited')
    const other = new Visitor(app.url)
    const token = csrfToken(
      (await other.get('/posts/create', { headers: { 'x-forwarded-for': '203.0.113.7' } })).html
    )
    const otherPost = await other.post(
      '/posts',
      { _csrf: token, title: 'Another client', body: 'x' },
      { headers: { 'x-forwarded-for': '203.0.113.7' }, followRedirects: false }
    )
    assert.equal(otherPost.status, 302, 'another client behind the proxy has a limit of its own')
  })

  test('a client that is no trusted proxy cannot pick a new address with X-Forwarded-For', async ({
    assert,
  }) => {
    // 127.0.0.2: a client of its own, not in TRUSTED_PROXIES.
    const form = await requestFrom('127.0.0.2', `${app.url}/posts/create`)
    const cookie = (form.headers['set-cookie'] || []).map((line) => line.split(';')[0]).join('; ')
    const fields = `_csrf=${encodeURIComponent(csrfToken(form.body))}&title=Rotated&body=x`

    const statuses: number[] = []
    for (let i = 0; i < 20; i++) {
      const forwardedFor = i % 2 ? `198.51.100.${i}` : randomBytes(4096).toString('hex')
      const response = await requestFrom('127.0.0.2', `${app.url}/posts`, {
        method: 'POST',
        headers: {
          'accept': 'text/html',
          'cookie': cookie,
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': forwardedFor,
        },
        body: fields,
      })
      statuses.push(response.status)
    }

    assert.deepEqual(statuses.slice(0, 3), [302, 302, 302])
    assert.deepEqual(statuses.slice(3), Array(17).fill(429))
    assert.lengthOf(await Database.from('posts').where('title', 'Rotated'), 3)
  })
})
