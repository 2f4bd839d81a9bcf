import { test } from '@japa/runner'
import SessionStore from 'App/Services/SessionStore'
import { FRENCH, ITALIAN, currentLanguage } from '../../helpers/language'
import { driver, storeSession, storedSession } from '../../helpers/session_store'
import { Visitor } from '../../helpers/visitor'

test.group(`Writing the session back (${driver} driver)`, () => {
  test('a visit that changes nothing leaves the stored session as it was', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const sessionId = visitor.sessionId()!
    const before = await storedSession(visitor, sessionId)

    const page = await visitor.get('/')

    assert.equal(currentLanguage(page.html), FRENCH)
    assert.deepEqual(await storedSession(visitor, sessionId), before)
  })

  test('a change is stored at once', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const sessionId = visitor.sessionId()!

    await visitor.get('/language/it')

    assert.equal((await storedSession(visitor, sessionId)).values.userLanguage, 'it')
    assert.equal(currentLanguage((await visitor.get('/')).html), ITALIAN)
  })

  test('a session stored over a tenth of the session age ago gets a fresh expiry', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const sessionId = visitor.sessionId()!
    const { values, expiresAt } = await storedSession(visitor, sessionId)
    await storeSession(visitor, sessionId, {
      values,
      expiresAt: expiresAt - SessionStore.ageMs * 0.15,
    })

    const page = await visitor.get('/')

    assert.equal(currentLanguage(page.html), FRENCH)
    const stored = await storedSession(visitor, sessionId)
    assert.closeTo(stored.expiresAt, Date.now() + SessionStore.ageMs, 60_000)
  })
})
