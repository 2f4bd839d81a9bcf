import { test } from '@japa/runner'
import { until } from '../../../support/poll'
import { FRENCH, NOT_SET, currentLanguage } from '../../helpers/language'
import { driver, storeSession, storedSession } from '../../helpers/session_store'
import { Visitor } from '../../helpers/visitor'

/**
 * The app verifies a session cookie's bytes once and remembers the result
 * (providers/SessionDriver/VerifiedCookies.ts). What it remembers must not
 * outlive the cookie: the expiry inside the payload is checked on every
 * request.
 */
test.group('A session cookie the app has read before (cookie driver)', () => {
  test('is refused once the expiry it carries has passed, sent byte for byte again')
    .skip(driver !== 'cookie', 'only the cookie driver keeps the session in cookies')
    .run(async ({ assert }) => {
      const visitor = new Visitor()
      await visitor.get('/language/fr')
      const sessionId = visitor.sessionId()!
      const { values } = await storedSession(visitor, sessionId)
      // Room for the two reads below on a busy machine, before it expires.
      const expiresAt = Date.now() + 4000
      await storeSession(visitor, sessionId, { values, expiresAt })
      const cookies = new Map(visitor.cookies)
      const replay = () => {
        const copy = new Visitor()
        copy.cookies = new Map(cookies)
        return copy.get('/')
      }

      // Read, then read again as the app remembers it.
      assert.equal(currentLanguage((await replay()).html), FRENCH)
      assert.equal(currentLanguage((await replay()).html), FRENCH)

      const refusedAt = await until(
        async () => currentLanguage((await replay()).html) === NOT_SET && Date.now(),
        { timeoutMs: 15_000, message: 'the expired cookie was still accepted' }
      )
      assert.isAtLeast(refusedAt, expiresAt)
    })
})
