/*
|--------------------------------------------------------------------------
| Database
|--------------------------------------------------------------------------
|
| Posts live in SQLite through better-sqlite3. DB_FILE is relative to the
| app root, so tests can use a file of their own.
|
*/

import Env from '@ioc:Adonis/Core/Env'
import Application from '@ioc:Adonis/Core/Application'
import type { DatabaseConfig } from '@ioc:Adonis/Lucid/Database'

const databaseConfig: DatabaseConfig = {
  connection: 'sqlite',
  connections: {
    sqlite: {
      client: 'better-sqlite3',
      connection: {
        filename: Application.makePath(Env.get('DB_FILE', 'tmp/db.sqlite3')),
      },
      pool: {
        afterCreate: (conn, done) => {
          conn.pragma('journal_mode = WAL')
          // better-sqlite3 waits for a lock by blocking the event loop (5 s by
          // default): a file locked by another process answers the 503 page
          // after 100 ms instead of freezing every request.
          conn.pragma('busy_timeout = 100')
          done()
        },
        // Requests queue for the one connection: past 1 s, the 503 page.
        acquireTimeoutMillis: 1000,
      },
      migrations: {
        naturalSort: true,
      },
      useNullAsDefault: true,
      healthCheck: false,
      debug: false,
    },
  },
}

export default databaseConfig
