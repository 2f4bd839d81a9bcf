import { test } from '@japa/runner'
import BetterSqlite3 from 'better-sqlite3'
import Application from '@ioc:Adonis/Core/Application'
import Env from '@ioc:Adonis/Core/Env'
import SessionStore from 'App/Services/SessionStore'
import { driver, insertSessionRow, sessionRow, updateSessionRow } from '../../helpers/session_store'
import { Visitor, textOf } from '../../helpers/visitor'

const FRENCH = 'Votre langue actuelle est français (fr)'

/**
 * Another process's write lock on the app's SQLite file, as a long
 * migration or a backup would take.
 */
function lockDatabase() {
  const other = new BetterSqlite3(Application.makePath(Env.get('DB_FILE', 'tmp/db.sqlite3')))
  other.exec('BEGIN EXCLUSIVE')
  return () => {
    other.exec('ROLLBACK')
    other.close()
  }
}

test.group('The database session driver', () => {
  test('keeps the session in a row of the sessions table, with its expiry', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')

    const row = await sessionRow(visitor.sessionId()!)
    assert.equal(JSON.parse(row.payload).message.userLanguage, 'fr')
    assert.closeTo(Number(row.expires_at) - Date.now(), 2 * 3600 * 1000, 60_000)
  }).skip(driver !== 'database', 'the database driver only')

  test('a row replayed after the session age is refused', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const id = visitor.sessionId()!
    const record = JSON.parse((await sessionRow(id)).payload)
    record.expiryDate = new Date(Date.now() - 1000).toISOString()
    await updateSessionRow(id, JSON.stringify(record), Date.now() + 3600_000)

    const home = await visitor.get('/')

    assert.equal(textOf(home.html, 'current-language'), 'Your current language is not set')
  }).skip(driver !== 'database', 'the database driver only')

  test('a locked database answers the 503 page within 1 s, and recovers by itself', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')

    const release = lockDatabase()
    let page
    const started = Date.now()
    try {
      page = await visitor.get('/language/it')
    } finally {
      release()
    }

    assert.equal(page.status, 503)
    // The lock wait is 100 ms; the bound is for a busy machine.
    assert.isBelow(Date.now() - started, 2000)
    assert.equal(page.headers.get('retry-after'), '5')
    const home = await visitor.get('/')
    assert.equal(home.status, 200)
    assert.equal(textOf(home.html, 'current-language'), FRENCH)
    await visitor.get('/language/it')
    assert.include((await visitor.get('/')).html, '<html lang="it">')
  }).skip(driver !== 'database', 'the database driver only')

  test('session:prune deletes the expired rows only', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    await insertSessionRow('expiredSessionRow0000000', '{}', Date.now() - 1000)

    const result = await SessionStore.prune()

    assert.isAtLeast(result!.removed, 1)
    assert.isNull(await sessionRow('expiredSessionRow0000000'))
    assert.isNotNull(await sessionRow(visitor.sessionId()!))
  }).skip(driver !== 'database', 'the database driver only')
})
