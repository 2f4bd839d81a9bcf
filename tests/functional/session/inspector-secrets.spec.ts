import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import Application from '@ioc:Adonis/Core/Application'
import CookieClient from '@ioc:Adonis/Core/CookieClient'
import SessionStore from 'App/Services/SessionStore'
import { Visitor, textOf, visibleText } from '../../helpers/visitor'

const driver = SessionStore.driver

/**
 * The session as the driver stored it, read from the store and not through
 * the app.
 */
async function storedSession(visitor: Visitor) {
  const sessionId = visitor.sessionId()!
  switch (driver) {
    case 'file':
      return readFileSync(Application.tmpPath('sessions', `${sessionId}.txt`), 'utf8')
    case 'redis': {
      const { default: Redis } = await import('@ioc:Adonis/Addons/Redis')
      return (await Redis.connection('local').get(sessionId)) || ''
    }
    default: {
      const raw = decodeURIComponent(visitor.cookies.get(sessionId) || '')
      return JSON.stringify(CookieClient.decrypt(sessionId, raw))
    }
  }
}

/**
 * The value the inspector's table shows for a session key.
 */
function shownValue(html: string, key: string) {
  const row = html.match(
    new RegExp(`<th scope="row"><code>${key}</code></th>\\s*<td><pre>([\\s\\S]*?)</pre></td>`)
  )
  return row && visibleText(row[1])
}

test.group('Session inspector: secrets', () => {
  test('the CSRF secret is shortened like the session id, never shown whole', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/posts/create')
    const secret = (await storedSession(visitor)).match(/"csrf-secret":"([^"]+)"/)![1]

    const page = await visitor.get('/session')

    assert.equal(shownValue(page.html, 'csrf-secret'), `"${secret.slice(0, 8)}…"`)
    assert.notInclude(page.html, secret)
    assert.notInclude(page.html, secret.slice(0, 9))
  })

  test('form tokens are shortened too', async ({ assert }) => {
    const visitor = new Visitor()
    const form = await visitor.get('/posts/create')
    const token = form.html.match(/name="_form" value="([^"]+)"/)![1]

    const page = await visitor.get('/session')

    assert.include(shownValue(page.html, 'forms')!, `"${token.slice(0, 8)}…": {`)
    assert.notInclude(page.html, token)
  })

  test('the Redis card says when a request restarts the TTL')
    .skip(driver !== 'redis', 'Only the redis driver shows a TTL')
    .run(async ({ assert }) => {
      const page = await new Visitor().get('/session')

      const card = textOf(page.html, 'inspector-storage')!
      assert.include(
        card,
        'A request that changes the session writes the key and starts its TTL again; a request that changes nothing leaves the key and its TTL alone, unless it was written more than 12 minutes ago (a tenth of the session age).'
      )
      assert.notInclude(card, 'every request starts the TTL again')
    })
})
