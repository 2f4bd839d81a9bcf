import { test } from '@japa/runner'
import { existsSync } from 'node:fs'
import { Visitor } from '../../helpers/visitor'
import {
  driver,
  redisTtl,
  sessionCookieName,
  sessionCookieNames,
  sessionFile,
  storedRecord,
  storedSession,
} from '../../helpers/session_store'

/**
 * A visitor who chose French, and their session id.
 */
async function frenchVisitor() {
  const visitor = new Visitor()
  await visitor.get('/language/fr')
  return { visitor, sessionId: visitor.sessionId()! }
}

test.group(`Session storage (${driver} driver)`, () => {
  test('the session cookie is HttpOnly and SameSite=Lax', async ({ assert }) => {
    const response = await fetch(new URL('/language/fr', new Visitor().baseUrl), {
      redirect: 'manual',
    })
    const cookie = response.headers
      .getSetCookie()
      .find((line) => line.startsWith(`${sessionCookieName()}=`))

    assert.isDefined(cookie)
    assert.match(cookie!, /; HttpOnly/)
    assert.match(cookie!, /; SameSite=Lax/)
    assert.match(cookie!, /; Max-Age=7200/)
  })

  test('the cookie driver keeps each key in an encrypted cookie of its own', async ({ assert }) => {
    const { visitor, sessionId } = await frenchVisitor()

    assert.sameMembers(sessionCookieNames(visitor), [
      sessionCookieName(),
      `${sessionCookieName()}.userLanguage`,
    ])
    // Neither the cookie nor its base64url-decoded bytes hold the JSON text.
    // (A bare 'fr' would match a random ciphertext one time in a hundred.)
    for (const sealed of (await storedRecord(visitor, sessionId)).split('\n')) {
      for (const text of [sealed, Buffer.from(sealed, 'base64url').toString('latin1')]) {
        assert.notInclude(text, '"fr"')
        assert.notInclude(text, sessionId)
      }
    }
    assert.equal((await storedSession(visitor, sessionId)).values.userLanguage, 'fr')
    assert.isFalse(existsSync(sessionFile(sessionId)))
  }).skip(driver !== 'cookie', 'cookie driver only')

  test('the file driver keeps the data in tmp/sessions/<id>.txt', async ({ assert }) => {
    const { visitor, sessionId } = await frenchVisitor()

    assert.sameMembers(sessionCookieNames(visitor), [sessionCookieName()])
    assert.isTrue(existsSync(sessionFile(sessionId)))
    assert.equal((await storedSession(visitor, sessionId)).values.userLanguage, 'fr')
  }).skip(driver !== 'file', 'file driver only')

  test('the redis driver keeps the data in Redis under session:<id>, for the session age', async ({
    assert,
  }) => {
    const { visitor, sessionId } = await frenchVisitor()

    assert.sameMembers(sessionCookieNames(visitor), [sessionCookieName()])
    assert.isFalse(existsSync(sessionFile(sessionId)))
    assert.equal((await storedSession(visitor, sessionId)).values.userLanguage, 'fr')
    assert.closeTo(await redisTtl(sessionId), 7200, 2)
  }).skip(driver !== 'redis', 'redis driver only')

  test('the database driver keeps the data in a row of the sessions table', async ({ assert }) => {
    const { visitor, sessionId } = await frenchVisitor()

    assert.sameMembers(sessionCookieNames(visitor), [sessionCookieName()])
    assert.isFalse(existsSync(sessionFile(sessionId)))
    assert.equal((await storedSession(visitor, sessionId)).values.userLanguage, 'fr')
  }).skip(driver !== 'database', 'database driver only')
})
