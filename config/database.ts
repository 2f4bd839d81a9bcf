/*
|--------------------------------------------------------------------------
| Database
|--------------------------------------------------------------------------
|
| Posts live in SQLite (DB_FILE, relative to the app root, so tests can use
| a file of their own) or, with DB_CONNECTION=pg, in PostgreSQL, which
| every instance of a fleet shares. The same migrations run on both.
|
*/

import Env from '@ioc:Adonis/Core/Env'
import Application from '@ioc:Adonis/Core/Application'
import type { DatabaseConfig, PostgreConfig } from '@ioc:Adonis/Lucid/Database'

const databaseConfig: DatabaseConfig = {
  connection: Env.get('DB_CONNECTION', 'sqlite'),
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

    pg: {
      client: 'pg',
      connection: {
        host: Env.get('PG_HOST'),
        port: Env.get('PG_PORT'),
        user: Env.get('PG_USER'),
        password: Env.get('PG_PASSWORD', ''),
        database: Env.get('PG_DB_NAME'),

        /*
         * A PostgreSQL that is down or unreachable must give the visitor the
         * 503 page within about a second, not a page that hangs: pg waits
         * forever for a connection by default, and knex a minute for a
         * free one in the pool. A query that runs too long is cut by the server, and one
         * whose server stopped answering by the client. (pg options that
         * knex passes on, but Lucid's types do not list.)
         */
        connectionTimeoutMillis: 1000,
        statement_timeout: 2000,
        query_timeout: 2500,
      } as PostgreConfig['connection'],
      pool: {
        min: 0,
        max: 10,
        acquireTimeoutMillis: 1500,
      },
      migrations: {
        naturalSort: true,
      },
      healthCheck: false,
      debug: false,
    },
  },
}

export default databaseConfig
