import { test } from '@japa/runner'
import { existsSync, readFileSync } from 'node:fs'
import Application from '@ioc:Adonis/Core/Application'
import Redis from '@ioc:Adonis/Addons/Redis'
import SessionStore from 'App/Services/SessionStore'
import { Visitor } from '../../helpers/visitor'

const driver = SessionStore.driver

function sessionFile(sessionId: string) {
  return Application.tmpPath('sessions', `${sessionId}.txt`)
}

async function redisValue(sessionId: string) {
  const value = await Redis.connection('local').get(sessionId)
  return value ? JSON.parse(value).message : null
}

/**
 * Where each driver must keep a visitor's data, read back from there and not
 * through the app.
 */
const stores = {
  cookie: {
    where: 'in an encrypted cookie only',
    async check(assert: any, visitor: Visitor, sessionId: string) {
      const payload = decodeURIComponent(visitor.cookies.get(sessionId) || '')
      assert.match(payload, /^e:/)
      assert.notInclude(payload, 'userLanguage')
      assert.isFalse(existsSync(sessionFile(sessionId)))
    },
  },
  file: {
    where: 'in tmp/sessions/<id>.txt',
    async check(assert: any, visitor: Visitor, sessionId: string) {
      assert.isFalse(visitor.cookies.has(sessionId))
      const stored = JSON.parse(readFileSync(sessionFile(sessionId), 'utf8'))
      assert.equal(stored.message.userLanguage, 'fr')
    },
  },
  redis: {
    where: 'in Redis under the session id, for the session age',
    async check(assert: any, visitor: Visitor, sessionId: string) {
      assert.isFalse(visitor.cookies.has(sessionId))
      assert.isFalse(existsSync(sessionFile(sessionId)))
      assert.equal((await redisValue(sessionId)).userLanguage, 'fr')
      assert.closeTo(await Redis.connection('local').ttl(sessionId), 7200, 2)
    },
  },
}

test.group(`Session storage (${driver} driver)`, () => {
  test('the session cookie is HttpOnly and SameSite=Lax', async ({ assert }) => {
    const response = await fetch(new URL('/', new Visitor().baseUrl))
    const cookie = response.headers
      .getSetCookie()
      .find((line) => line.startsWith('adonis-session='))

    assert.isDefined(cookie)
    assert.match(cookie!, /; HttpOnly/)
    assert.match(cookie!, /; SameSite=Lax/)
    assert.match(cookie!, /; Max-Age=7200/)
  })

  test(`the ${driver} driver keeps the data ${stores[driver].where}`, async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const sessionId = visitor.sessionId()!

    assert.isString(sessionId)
    await stores[driver].check(assert, visitor, sessionId)
  })
})
