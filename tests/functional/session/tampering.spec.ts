import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import Encryption from '@ioc:Adonis/Core/Encryption'
import { Encryption as OtherAppEncryption } from '@adonisjs/encryption/build/standalone'
import SessionStore from 'App/Services/SessionStore'
import { FRENCH, NOT_SET, currentLanguage } from '../../helpers/language'
import { CookieSeal } from '../../../providers/SessionDriver'
import {
  cookieSeal,
  driver,
  keyCookieName,
  sessionCookieName,
  storeSession,
  storedSession,
} from '../../helpers/session_store'
import { Visitor, appUrl, csrfToken } from '../../helpers/visitor'

/**
 * An app with another APP_KEY: what it signs or encrypts must mean nothing here.
 */
const FOREIGN_KEY = 'another-app-key-that-is-not-ours-0123456789'
const foreign = new OtherAppEncryption({ secret: FOREIGN_KEY })
const foreignSeal = new CookieSeal(FOREIGN_KEY)

/**
 * A visitor whose stored language is French, and a copy of their cookies.
 */
async function frenchVisitor() {
  const visitor = new Visitor()
  await visitor.get('/language/fr')
  return { visitor, sessionId: visitor.sessionId()!, cookies: new Map(visitor.cookies) }
}

/**
 * Someone else sending the given cookies, as a replay or a forgery would.
 */
function replay(cookies: Map<string, string>) {
  const visitor = new Visitor()
  visitor.cookies = new Map(cookies)
  return visitor
}

/**
 * The value with one character in its middle changed.
 */
function flip(value: string) {
  const middle = Math.floor(value.length / 2)
  return value.slice(0, middle) + (value[middle] === 'A' ? 'B' : 'A') + value.slice(middle + 1)
}

/**
 * Ways to spoil the signed session id cookie.
 */
const badSessionCookies: [string, (real: string, sessionId: string) => string][] = [
  ['garbage', () => 'garbage'],
  ['empty signed value', () => 's:'],
  ['tampered signature', (real) => flip(decodeURIComponent(real))],
  ['truncated', (real) => real.slice(0, Math.floor(real.length / 2))],
  [
    'signed with another app key',
    (_, sessionId) => `s:${foreign.verifier.sign(sessionId, undefined, sessionCookieName())}`,
  ],
  ['bad percent-encoding', () => '%E0%A4%A'],
  ['4,000 characters of junk', () => 's:' + 'A'.repeat(3998)],
  [
    'a prototype-polluting payload',
    () => `s:${Buffer.from('{"__proto__":{"x":1}}').toString('base64url')}.sig`,
  ],
]

test.group(`Tampered and garbage cookies (${driver} driver)`, () => {
  for (const [name, spoil] of badSessionCookies) {
    test(`a session cookie that is ${name} gives a fresh session`, async ({ assert }) => {
      const { cookies, sessionId } = await frenchVisitor()
      const forged = replay(cookies)
      const name = sessionCookieName()
      forged.cookies.set(name, spoil(cookies.get(name)!, sessionId))

      const page = await forged.get('/')

      assert.equal(page.status, 200)
      assert.equal(currentLanguage(page.html), NOT_SET)
      assert.notEqual(forged.sessionId(), sessionId, 'a new session id')
      assert.isUndefined(({} as any).x)
      const works = await forged.get('/language/fr')
      assert.equal(currentLanguage(works.html), FRENCH)
    })
  }

  test('a garbage XSRF-TOKEN cookie changes nothing', async ({ assert }) => {
    const { visitor } = await frenchVisitor()
    for (const junk of [
      'garbage',
      'e:' + 'A'.repeat(200),
      `e:${foreign.encrypt('x')}`,
      '%E0%A4%A',
    ]) {
      visitor.cookies.set('XSRF-TOKEN', junk)
      const page = await visitor.get('/')
      assert.equal(page.status, 200, junk)
      assert.equal(currentLanguage(page.html), FRENCH, junk)
    }
  })

  test('no form is accepted through an X-XSRF-TOKEN header, not even with the real token', async ({
    assert,
  }) => {
    await Database.from('posts').delete()
    const { visitor } = await frenchVisitor()
    const form = await visitor.get('/posts/create')
    assert.isFalse(visitor.cookies.has('XSRF-TOKEN'), 'the app hands out no XSRF-TOKEN cookie')

    // The header as Shield reads it when its XSRF cookie is on: the token,
    // encrypted for the XSRF-TOKEN cookie.
    const header = `e:${Encryption.encrypt(csrfToken(form.html), undefined, 'XSRF-TOKEN')}`
    const post = await visitor.post(
      '/posts',
      { title: 'Through the XSRF header', body: 'x' },
      { headers: { 'x-xsrf-token': header, 'referer': `${appUrl()}/posts/create` } }
    )

    assert.equal(post.status, 200)
    assert.deepEqual(post.redirects, ['/posts/create'])
    assert.lengthOf(await Database.from('posts'), 0)
  })
})

/**
 * The cookie driver keeps the values in a second, encrypted cookie named
 * after the session id.
 */
const payloadSpoilers: [string, (real: string, sessionId: string) => string][] = [
  ['garbage', () => 'garbage'],
  ['tampered', (real) => flip(real)],
  ['truncated', (real) => real.slice(0, Math.floor(real.length / 2))],
  ['extended by one character', (real) => `${real}x`],
  [
    'spliced with a character outside base64url',
    (real) => `${real.slice(0, 10)}*${real.slice(10)}`,
  ],
  [
    'sealed with another app key',
    (_, sessionId) =>
      foreignSeal.seal(
        { s: sessionId, e: Date.now() + 60_000, v: 'it' },
        keyCookieName('userLanguage')
      ),
  ],
  [
    'sealed for another session id',
    () =>
      cookieSeal.seal(
        { s: 'anotherSessionId12345678', e: Date.now() + 60_000, v: 'it' },
        keyCookieName('userLanguage')
      ),
  ],
  [
    'sealed for another cookie',
    (_, sessionId) =>
      cookieSeal.seal({ s: sessionId, e: Date.now() + 60_000, v: 'it' }, keyCookieName('theme')),
  ],
  [
    'encrypted as releases before this one did, with another app key',
    (_, sessionId) =>
      foreign.encrypt(
        { s: sessionId, e: Date.now() + 60_000, v: 'it' },
        undefined,
        keyCookieName('userLanguage')
      ),
  ],
]

test.group(`Tampered session value cookie (${driver} driver)`, () => {
  for (const [name, spoil] of payloadSpoilers) {
    test(`a value cookie that is ${name} reads as no value, and is cleared`, async ({ assert }) => {
      const { cookies, sessionId } = await frenchVisitor()
      const forged = replay(cookies)
      const cookie = keyCookieName('userLanguage')
      forged.cookies.set(cookie, spoil(cookies.get(cookie)!, sessionId))

      const page = await forged.get('/')

      assert.equal(page.status, 200)
      assert.equal(currentLanguage(page.html), NOT_SET)
      assert.isFalse(forged.cookies.has(cookie), 'the spoilt cookie is cleared')
    }).skip(driver !== 'cookie', 'only the cookie driver keeps the values in cookies')
  }

  test('a value cookie encrypted as releases before this one did still reads', async ({
    assert,
  }) => {
    const { cookies, sessionId } = await frenchVisitor()
    const upgraded = replay(cookies)
    const cookie = keyCookieName('userLanguage')
    const payload = { s: sessionId, e: Date.now() + 60_000, v: 'it' }
    upgraded.cookies.set(cookie, Encryption.encrypt(payload, undefined, cookie))

    const page = await upgraded.get('/')

    assert.equal(page.status, 200)
    assert.match(currentLanguage(page.html)!, /\(it\)/)
  }).skip(driver !== 'cookie', 'only the cookie driver keeps the values in cookies')
})

/**
 * How each driver's record of a session runs out.
 */
const expiry = {
  cookie: 'a value cookie whose expiry has passed',
  file: 'a session file whose stored expiry has passed',
  redis: 'a Redis key whose TTL has run out',
  database: 'a table row whose expiry has passed',
}

/**
 * Dates the stored session back past the session age, as if the visitor
 * came back two hours later, after checking that it is dated at all.
 */
async function ageOut(visitor: Visitor, sessionId: string) {
  const { values, expiresAt } = await storedSession(visitor, sessionId)
  const expiresIn = expiresAt - Date.now()
  if (Math.abs(expiresIn - SessionStore.ageMs) > 60_000) {
    throw new Error(`The stored expiry is ${expiresIn} ms away, not the session age`)
  }
  await storeSession(visitor, sessionId, { values, expiresAt: Date.now() - 1000 })
}

test.group(`A session replayed after the session age (${driver} driver)`, () => {
  test(`is rejected: ${expiry[driver]}`, async ({ assert }) => {
    const { visitor, sessionId } = await frenchVisitor()
    // The same record with a live expiry is accepted: only the date differs.
    const { values, expiresAt } = await storedSession(visitor, sessionId)
    await storeSession(visitor, sessionId, { values, expiresAt })
    assert.equal(currentLanguage((await replay(visitor.cookies).get('/')).html), FRENCH)

    await ageOut(visitor, sessionId)
    const page = await replay(visitor.cookies).get('/')

    assert.equal(page.status, 200)
    assert.equal(currentLanguage(page.html), NOT_SET)
  })

  test('a form token is refused without the CSRF secret cookie it was made from', async ({
    assert,
  }) => {
    await Database.from('posts').delete()
    const { visitor } = await frenchVisitor()
    const token = csrfToken((await visitor.get('/posts/create')).html)
    const withoutSecret = replay(
      new Map([...visitor.cookies].filter(([name]) => !name.endsWith('csrf-secret')))
    )

    await withoutSecret.post('/posts', { _csrf: token, title: 'Replayed', body: 'x' })

    assert.lengthOf(await Database.from('posts'), 0)
  })
})
