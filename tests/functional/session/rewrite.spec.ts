import { test } from '@japa/runner'
import { readFileSync, writeFileSync } from 'node:fs'
import Application from '@ioc:Adonis/Core/Application'
import CookieClient from '@ioc:Adonis/Core/CookieClient'
import Redis from '@ioc:Adonis/Addons/Redis'
import SessionStore from 'App/Services/SessionStore'
import { Visitor, textOf } from '../../helpers/visitor'

const driver = SessionStore.driver
const FRENCH = 'Votre langue actuelle est français (fr)'
const ITALIAN = 'La tua lingua attuale è italiano (it)'

type Stored = { values: Record<string, any>; expiresAt: number }

function sessionFile(sessionId: string) {
  return Application.tmpPath('sessions', `${sessionId}.txt`)
}

function record(sessionId: string, values: Record<string, any>, expiresAt: number) {
  return JSON.stringify({ message: values, purpose: sessionId, expiryDate: new Date(expiresAt) })
}

/**
 * What each driver's store holds for a session, read from the store itself,
 * and a way to date it back as if it had been written `ago` ms earlier.
 */
const stores: Record<
  'cookie' | 'file' | 'redis',
  {
    read(visitor: Visitor, sessionId: string): Promise<Stored>
    dateBack(visitor: Visitor, sessionId: string, ago: number): Promise<void>
  }
> = {
  cookie: {
    async read(visitor, sessionId) {
      const value = decodeURIComponent(visitor.cookies.get(sessionId) || '')
      return CookieClient.decrypt(sessionId, value)
    },
    async dateBack(visitor, sessionId, ago) {
      const { values, expiresAt } = await this.read(visitor, sessionId)
      visitor.cookies.set(
        sessionId,
        CookieClient.encrypt(sessionId, { values, expiresAt: expiresAt - ago })!
      )
    },
  },
  file: {
    async read(_, sessionId) {
      const stored = JSON.parse(readFileSync(sessionFile(sessionId), 'utf8'))
      return { values: stored.message, expiresAt: Date.parse(stored.expiryDate) }
    },
    async dateBack(visitor, sessionId, ago) {
      const { values, expiresAt } = await this.read(visitor, sessionId)
      writeFileSync(sessionFile(sessionId), record(sessionId, values, expiresAt - ago))
    },
  },
  redis: {
    async read(_, sessionId) {
      const stored = JSON.parse((await Redis.connection('local').get(sessionId))!)
      return { values: stored.message, expiresAt: Date.parse(stored.expiryDate) }
    },
    async dateBack(visitor, sessionId, ago) {
      const { values, expiresAt } = await this.read(visitor, sessionId)
      const ttl = expiresAt - ago - Date.now()
      await Redis.connection('local').set(sessionId, record(sessionId, values, expiresAt - ago))
      await Redis.connection('local').pexpire(sessionId, ttl)
    },
  },
}

const store = stores[driver]

test.group(`Writing the session back (${driver} driver)`, () => {
  test('a visit that changes nothing leaves the stored session as it was', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const sessionId = visitor.sessionId()!
    const before = await store.read(visitor, sessionId)

    const page = await visitor.get('/')

    assert.equal(textOf(page.html, 'current-language'), FRENCH)
    assert.deepEqual(await store.read(visitor, sessionId), before)
  })

  test('a change is stored at once', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const sessionId = visitor.sessionId()!

    await visitor.get('/language/it')

    assert.equal((await store.read(visitor, sessionId)).values.userLanguage, 'it')
    assert.equal(textOf((await visitor.get('/')).html, 'current-language'), ITALIAN)
  })

  test('a session stored over a tenth of the session age ago gets a fresh expiry', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const sessionId = visitor.sessionId()!
    await store.dateBack(visitor, sessionId, SessionStore.ageMs * 0.15)

    const page = await visitor.get('/')

    assert.equal(textOf(page.html, 'current-language'), FRENCH)
    const { expiresAt } = await store.read(visitor, sessionId)
    assert.closeTo(expiresAt, Date.now() + SessionStore.ageMs, 60_000)
  })
})
