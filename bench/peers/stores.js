/*
|--------------------------------------------------------------------------
| Session stores for the peers
|--------------------------------------------------------------------------
|
| Small stores in the shape express-session and @fastify/session both take
| (`get`, `set`, `destroy` with callbacks, and `touch`, which only
| express-session calls), for the stores that have no lean package: one
| file per session, and a SQLite table. Each is made from the session
| module's own `Store` class, as connect-style stores are:
| `fileStore(require('@fastify/session').Store, options)`.
|
| They keep what the app's drivers keep: a record carries its expiry and
| reads as nothing after it; a file is written whole through a temporary
| file and a rename, so a reader never sees half of one.
|
*/

const { randomBytes } = require('node:crypto')
const { mkdirSync } = require('node:fs')
const { readFile, rename, rm, writeFile } = require('node:fs/promises')
const { dirname, join } = require('node:path')

/**
 * Ids come from a signed cookie; anything else never becomes a file name.
 */
const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/

function fileStore(Store, { dir, ttlMs }) {
  mkdirSync(dir, { recursive: true })
  const pathOf = (id) => (SESSION_ID.test(id) ? join(dir, `${id}.json`) : null)

  class FileStore extends Store {
    get(id, callback) {
      const path = pathOf(id)
      if (!path) return callback(null, null)
      readFile(path, 'utf8').then(
        (text) => {
          let record = null
          try {
            record = JSON.parse(text)
          } catch {}
          callback(null, record && record.expires > Date.now() ? record.session : null)
        },
        (error) => callback(error.code === 'ENOENT' ? null : error, null)
      )
    }

    set(id, session, callback) {
      const path = pathOf(id)
      if (!path) return callback()
      const record = JSON.stringify({ expires: Date.now() + ttlMs, session })
      const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`
      writeFile(temp, record, { flag: 'wx' })
        .then(() => rename(temp, path))
        .then(
          () => callback(),
          (error) =>
            rm(temp, { force: true })
              .catch(() => {})
              .then(() => callback(error))
        )
    }

    destroy(id, callback) {
      const path = pathOf(id)
      if (!path) return callback()
      rm(path, { force: true }).then(() => callback(), callback)
    }
  }
  return new FileStore()
}

/**
 * A `sessions` table in a SQLite file of its own, through better-sqlite3
 * (synchronous, so each call answers before the callback), in WAL mode as
 * the app's database is.
 */
function sqliteStore(Store, { file, ttlMs }) {
  const Database = require('better-sqlite3')
  mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.exec(
    'CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, data TEXT NOT NULL, expires INTEGER NOT NULL)'
  )
  const select = db.prepare('SELECT data FROM sessions WHERE id = ? AND expires > ?')
  const upsert = db.prepare(
    'INSERT INTO sessions (id, data, expires) VALUES (?, ?, ?) ' +
      'ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires = excluded.expires'
  )
  const extend = db.prepare('UPDATE sessions SET expires = ? WHERE id = ?')
  const remove = db.prepare('DELETE FROM sessions WHERE id = ?')

  /**
   * Runs a statement and hands its result to the callback, outside the try
   * so that an error thrown by the callback is not reported twice.
   */
  const run = (callback, statement) => {
    let result
    try {
      result = statement()
    } catch (error) {
      return callback(error)
    }
    callback(null, result)
  }

  class SqliteStore extends Store {
    get(id, callback) {
      run(callback, () => {
        const row = select.get(id, Date.now())
        return row ? JSON.parse(row.data) : null
      })
    }

    set(id, session, callback) {
      run(callback, () => {
        upsert.run(id, JSON.stringify(session), Date.now() + ttlMs)
      })
    }

    touch(id, _session, callback) {
      run(callback, () => {
        extend.run(Date.now() + ttlMs, id)
      })
    }

    destroy(id, callback) {
      run(callback, () => {
        remove.run(id)
      })
    }
  }
  return new SqliteStore()
}

module.exports = { fileStore, sqliteStore }
