import { test } from '@japa/runner'
import { readFileSync, writeFileSync } from 'node:fs'
import Application from '@ioc:Adonis/Core/Application'
import CookieClient from '@ioc:Adonis/Core/CookieClient'
import Database from '@ioc:Adonis/Lucid/Database'
import Redis from '@ioc:Adonis/Addons/Redis'
import { Encryption } from '@adonisjs/encryption/build/standalone'
import SessionStore from 'App/Services/SessionStore'
import { Visitor, appUrl, csrfToken, textOf } from '../../helpers/visitor'

const driver = SessionStore.driver
const NOT_SET = 'Your current language is not set'
const FRENCH = 'Votre langue actuelle est français (fr)'
const SESSION_COOKIE = 'adonis-session'

/**
 * An app with another APP_KEY: what it signs or encrypts must mean nothing here.
 */
const foreign = new Encryption({ secret: 'another-app-key-that-is-not-ours-0123456789' })

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
    (_, sessionId) => `s:${foreign.verifier.sign(sessionId, undefined, SESSION_COOKIE)}`,
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
      forged.cookies.set(SESSION_COOKIE, spoil(cookies.get(SESSION_COOKIE)!, sessionId))

      const page = await forged.get('/')

      assert.equal(page.status, 200)
      assert.equal(textOf(page.html, 'current-language'), NOT_SET)
      assert.notEqual(forged.sessionId(), sessionId, 'a new session id')
      assert.isUndefined(({} as any).x)
      const works = await forged.get('/language/fr')
      assert.equal(textOf(works.html, 'current-language'), FRENCH)
    })
  }

  test('garbage XSRF-TOKEN cookie and header change nothing and save nothing', async ({
    assert,
  }) => {
    await Database.from('posts').delete()
    const { visitor } = await frenchVisitor()
    for (const junk of [
      'garbage',
      'e:' + 'A'.repeat(200),
      `e:${foreign.encrypt('x')}`,
      '%E0%A4%A',
    ]) {
      visitor.cookies.set('XSRF-TOKEN', junk)
      const page = await visitor.get('/')
      assert.equal(page.status, 200)
      assert.equal(textOf(page.html, 'current-language'), FRENCH)

      const post = await visitor.post(
        '/posts',
        { title: 'XSRF forged', body: 'x' },
        { headers: { 'x-xsrf-token': junk, 'referer': `${appUrl()}/posts/create` } }
      )
      assert.isBelow(post.status, 500)
    }
    assert.lengthOf(await Database.from('posts'), 0)
  })
})

/**
 * The cookie driver keeps the values in a second, encrypted cookie named
 * after the session id.
 */
const payloadCookies = {
  cookie: () => {
    test.group('Tampered session payload cookie (cookie driver)', () => {
      const spoilers: [string, (real: string, sessionId: string) => string][] = [
        ['garbage', () => 'garbage'],
        ['tampered', (real) => flip(real)],
        ['truncated', (real) => real.slice(0, Math.floor(real.length / 2))],
        [
          'encrypted with another app key',
          (_, sessionId) =>
            `e:${foreign.encrypt({ expiresAt: Date.now() + 60_000, values: { userLanguage: 'it' } }, undefined, sessionId)}`,
        ],
        [
          'encrypted for another session id',
          () => CookieClient.encrypt('other', { expiresAt: Date.now() + 60_000, values: {} })!,
        ],
      ]
      for (const [name, spoil] of spoilers) {
        test(`a payload cookie that is ${name} reads as an empty session`, async ({ assert }) => {
          const { cookies, sessionId } = await frenchVisitor()
          const forged = replay(cookies)
          forged.cookies.set(sessionId, spoil(cookies.get(sessionId)!, sessionId))

          const page = await forged.get('/')

          assert.equal(page.status, 200)
          assert.equal(textOf(page.html, 'current-language'), NOT_SET)
        })
      }
    })
  },
}

payloadCookies[driver as 'cookie']?.()

/**
 * How each driver's record of a session is aged past the session age,
 * without waiting two hours, and what proves the live record is dated.
 */
const ageing = {
  cookie: {
    how: 'a payload cookie whose expiry has passed',
    async expire(visitor: Visitor, sessionId: string) {
      const payload = (expiresAt: number) =>
        CookieClient.encrypt(sessionId, { expiresAt, values: { userLanguage: 'fr' } })!
      // The same payload with a live expiry is accepted: only the date differs.
      visitor.cookies.set(sessionId, payload(Date.now() + 60_000))
      const live = await replay(visitor.cookies).get('/')
      visitor.cookies.set(sessionId, payload(Date.now() - 1000))
      return live
    },
  },
  file: {
    how: 'a session file whose stored expiry has passed',
    async expire(_visitor: Visitor, sessionId: string) {
      const path = Application.tmpPath('sessions', `${sessionId}.txt`)
      const record = JSON.parse(readFileSync(path, 'utf8'))
      const expiresIn = new Date(record.expiryDate).getTime() - Date.now()
      if (Math.abs(expiresIn - SessionStore.ageMs) > 60_000) {
        throw new Error(`The stored expiry is ${expiresIn} ms away, not the session age`)
      }
      writeFileSync(path, JSON.stringify({ ...record, expiryDate: new Date(Date.now() - 1000) }))
    },
  },
  redis: {
    how: 'a Redis key whose TTL has run out',
    async expire(_visitor: Visitor, sessionId: string) {
      const redis = Redis.connection('local')
      const ttl = await redis.ttl(sessionId)
      if (Math.abs(ttl - SessionStore.ageMs / 1000) > 60) {
        throw new Error(`The key's TTL is ${ttl} s, not the session age`)
      }
      await redis.pexpire(sessionId, 1)
      await new Promise((resolve) => setTimeout(resolve, 20))
    },
  },
}

test.group(`A session replayed after the session age (${driver} driver)`, () => {
  test(`is rejected: ${ageing[driver].how}`, async ({ assert }) => {
    const { visitor, sessionId } = await frenchVisitor()
    const live = await ageing[driver].expire(visitor, sessionId)
    if (live) {
      assert.equal(textOf(live.html, 'current-language'), FRENCH)
    }

    const page = await replay(visitor.cookies).get('/')

    assert.equal(page.status, 200)
    assert.equal(textOf(page.html, 'current-language'), NOT_SET)
  })

  test('a form token from the expired session is no longer accepted', async ({ assert }) => {
    await Database.from('posts').delete()
    const { visitor, sessionId } = await frenchVisitor()
    const token = csrfToken((await visitor.get('/posts/create')).html)
    await ageing[driver].expire(visitor, sessionId)

    await replay(visitor.cookies).post('/posts', { _csrf: token, title: 'Replayed', body: 'x' })

    assert.lengthOf(await Database.from('posts'), 0)
  })
})
