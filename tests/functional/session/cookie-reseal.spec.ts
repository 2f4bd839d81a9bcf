import { test } from '@japa/runner'
import CookieClient from '@ioc:Adonis/Core/CookieClient'
import SessionStore from 'App/Services/SessionStore'
import { Visitor, textOf } from '../../helpers/visitor'

const driver = SessionStore.driver
const ITALIAN = 'La tua lingua attuale è italiano (it)'

function payloadCookieSet(page: { headers: Headers }, sessionId: string) {
  return page.headers.getSetCookie().some((line) => line.startsWith(`${sessionId}=`))
}

function expiryOf(visitor: Visitor, sessionId: string) {
  const value = decodeURIComponent(visitor.cookies.get(sessionId) || '')
  return CookieClient.decrypt(sessionId, value)?.expiresAt as number
}

/**
 * The cookie driver seals the session again only when it changed or when the
 * sealed expiry has started to run down (providers/SessionDriver/CookieDriver.ts).
 * The other drivers keep nothing in a payload cookie.
 */
const resealing = {
  cookie() {
    test.group('The sealed session cookie (cookie driver)', () => {
      test('a change is sealed at once, an unchanged session is not sealed again', async ({
        assert,
      }) => {
        const visitor = new Visitor()
        await visitor.get('/language/fr')
        const sessionId = visitor.sessionId()!

        const unchanged = await visitor.get('/')
        assert.isFalse(payloadCookieSet(unchanged, sessionId))

        await visitor.get('/language/it', { followRedirects: false })
        const page = await visitor.get('/')
        assert.equal(textOf(page.html, 'current-language'), ITALIAN)
      })

      test('a cookie sealed over a tenth of the session age ago gets a fresh expiry', async ({
        assert,
      }) => {
        const visitor = new Visitor()
        await visitor.get('/language/it')
        const sessionId = visitor.sessionId()!
        const sealed = CookieClient.decrypt(
          sessionId,
          decodeURIComponent(visitor.cookies.get(sessionId)!)
        )
        const older = { ...sealed, expiresAt: Date.now() + SessionStore.ageMs * 0.85 }
        visitor.cookies.set(sessionId, CookieClient.encrypt(sessionId, older)!)

        const page = await visitor.get('/')

        assert.isTrue(payloadCookieSet(page, sessionId))
        assert.closeTo(expiryOf(visitor, sessionId), Date.now() + SessionStore.ageMs, 60_000)
        assert.equal(textOf(page.html, 'current-language'), ITALIAN)
      })
    })
  },
}

resealing[driver as 'cookie']?.()
