import { test } from '@japa/runner'
import { holdPost } from '../../helpers/held_request'
import { FRENCH, NOT_SET, currentLanguage } from '../../helpers/language'
import { driver, endMarkerExists, recordExists } from '../../helpers/session_store'
import { Visitor, csrfToken, visibleText } from '../../helpers/visitor'

const SERVER_SIDE = 'the cookie driver keeps no record on the server (docs/drivers.md)'
// The late request's page, in the language of the session it read.
const NOTHING_SAVED = 'Session renouvelée entre-temps'

/**
 * A visitor with a French session, and a race request of theirs that has
 * read the session and is still on its way (its last byte held back).
 */
async function visitorWithRequestInFlight() {
  const visitor = new Visitor()
  await visitor.get('/language/fr')
  const oldId = visitor.sessionId()!
  const token = csrfToken((await visitor.get('/session')).html)
  const inFlight = await holdPost(visitor, '/session/race/slow', { _csrf: token, run: '1' })
  return { visitor, oldId, inFlight }
}

test.group(`A request in flight while the session id changes (${driver} driver)`, () => {
  test('{action} ends the old id: the request in flight cannot bring it back')
    .with([
      { action: 'session.regenerate()', path: '/session/regenerate', language: FRENCH },
      { action: 'session.clear()', path: '/session/clear', language: NOT_SET },
    ])
    .run(async ({ assert }, { path, language }) => {
      const { visitor, oldId, inFlight } = await visitorWithRequestInFlight()

      await visitor.submit('/session', path, {})
      const newId = visitor.sessionId()
      const late = await inFlight.finish()

      // The late request is told its change was not saved...
      assert.equal(late.status, 409)
      assert.include(visibleText(late.body), NOTHING_SAVED)
      // ...the old id stays dead...
      assert.isFalse(await recordExists(visitor, oldId), 'the old record is not written again')
      assert.isTrue(await endMarkerExists(oldId))
      // ...and the visitor keeps the new session, which the late response did not touch.
      assert.equal(visitor.sessionId(), newId)
      assert.equal(currentLanguage((await visitor.get('/')).html), language)
    })
    .skip(driver === 'cookie', SERVER_SIDE)

  test('a request with the old id after regenerate() gets no session', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const oldCookies = new Map(visitor.cookies)

    await visitor.submit('/session', '/session/regenerate', {})
    const replay = new Visitor()
    replay.cookies = oldCookies
    const page = await replay.get('/')

    assert.equal(currentLanguage(page.html), NOT_SET)
    assert.equal(currentLanguage((await visitor.get('/')).html), FRENCH)
  }).skip(driver === 'cookie', SERVER_SIDE)
})
