import BetterSqlite3 from 'better-sqlite3'
import type { QueryClientContract } from '@ioc:Adonis/Lucid/Database'
import { isEnded } from './Change'
import { StoreDriver } from './StoreDriver'
import type { RecordUpdate } from './StoreDriver'
import type { PruneResult, SessionDriverOptions, StoredRecord } from './types'

/**
 * The table, with `id` (primary key), `payload` (the record) and
 * `expires_at` (milliseconds since the epoch, indexed for the sweep); its
 * migration is database/migrations/*_sessions.ts.
 */
export const SESSIONS_TABLE = 'sessions'

export type DatabaseDriverOptions = SessionDriverOptions & {
  connection: () => QueryClientContract
  /**
   * The SQLite file, when the connection is better-sqlite3's.
   */
  sqliteFile?: string
}

/**
 * Keeps each session in a row of a table through Lucid: the app's SQLite
 * file, or PostgreSQL when the app's database is PostgreSQL.
 *
 * - On SQLite, a commit reads the row, applies the request's change and
 *   writes it in one synchronous transaction, and requests read their row
 *   with a prepared statement on a read-only connection of their own.
 * - On PostgreSQL, a commit applies the change to the row as the request
 *   read it, in one statement that fails if the row changed meanwhile;
 *   otherwise it reads the row (`SELECT ... FOR UPDATE`), applies the
 *   change and writes it in one transaction.
 *
 * A database that is down or locked becomes `options.unavailable` (the 503
 * page) within the connection's timeouts (config/database.ts).
 */
export class DatabaseDriver extends StoreDriver {
  private read?: BetterSqlite3.Statement<[string, number], string>
  private writers = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Transaction<any>>()

  constructor(private database: DatabaseDriverOptions) {
    super('database', database)
  }

  /**
   * Deletes the expired rows, end markers included.
   */
  public async prune(now = Date.now()): Promise<PruneResult> {
    const deleted = await this.table().where('expires_at', '<=', now).delete()
    const [{ kept }] = await this.table().count('* as kept')
    return {
      removed: Number(Array.isArray(deleted) ? deleted[0] : deleted) || 0,
      kept: Number(kept),
    }
  }

  /**
   * Reads can work while writes cannot (a file locked by another process):
   * write a row, as a new session would, and roll it back.
   */
  public async check() {
    const trx = await this.database.connection().transaction()
    try {
      await trx
        .insertQuery()
        .table(SESSIONS_TABLE)
        .insert({ id: `health-${process.pid}`, payload: '{}', expires_at: 0 })
    } finally {
      await trx.rollback()
    }
  }

  public async describe(sessionId: string): Promise<StoredRecord> {
    const row = await this.table()
      .select('payload', 'expires_at')
      .where('id', sessionId)
      .where('expires_at', '>', Date.now())
      .first()
    const ended = isEnded(sessionId, row?.payload)
    const stored = !!row && !ended
    return {
      where: SESSIONS_TABLE,
      stored,
      ended,
      bytes: stored ? Buffer.byteLength(row.payload) : 0,
      expiresAt: stored ? new Date(Number(row.expires_at)) : undefined,
    }
  }

  /**
   * Every request with a session reads its row. On SQLite, with a statement
   * prepared once on a read-only connection of its own: the write-ahead log
   * lets it read while Lucid's connection writes, where Lucid's raw query
   * would wait for that connection in knex's pool and prepare the statement
   * again. Elsewhere, a raw query, which spares the query builder.
   */
  protected async fetch(sessionId: string) {
    if (this.database.sqliteFile) {
      return this.sqliteRead().get(sessionId, Date.now()) ?? null
    }
    const result = await this.database
      .connection()
      .rawQuery('SELECT payload FROM ?? WHERE id = ? AND expires_at > ?', [
        SESSIONS_TABLE,
        sessionId,
        Date.now(),
      ])
    // SQLite answers the rows, PostgreSQL a result that holds them.
    const rows = Array.isArray(result) ? result : result.rows
    return rows.length ? (rows[0].payload as string) : null
  }

  /**
   * The read statement, prepared on first use; a failure (no file or no
   * table yet) is the 503 page and is tried again on the next request.
   */
  private sqliteRead() {
    if (!this.read) {
      const connection = new BetterSqlite3(this.database.sqliteFile!, {
        readonly: true,
        fileMustExist: true,
      })
      try {
        // As Lucid's connection (config/database.ts): a file locked by
        // another process answers the 503 page after 100 ms.
        connection.pragma('busy_timeout = 100')
        this.read = connection
          .prepare<[string, number], string>(
            `SELECT payload FROM "${SESSIONS_TABLE}" WHERE id = ? AND expires_at > ?`
          )
          .pluck()
      } catch (error) {
        connection.close()
        throw error
      }
    }
    return this.read
  }

  /**
   * On PostgreSQL, when the stored form is known (`known`, what the request
   * read or this process wrote last), the change is one statement that
   * compares and sets it: `UPDATE ... WHERE payload = <known>` (or `DELETE`).
   * If the row changed meanwhile, or there was none, the transaction below
   * does it.
   */
  protected async update(sessionId: string, update: RecordUpdate, known?: string | null) {
    if (this.database.sqliteFile) {
      return this.sqliteUpdate(sessionId, update)
    }
    if (
      typeof known === 'string' &&
      (await this.compareAndSet(sessionId, known, update.next(known)))
    ) {
      return
    }
    await this.database.connection().transaction(async (trx) => {
      const query = trx.from(SESSIONS_TABLE).select('payload').where('id', sessionId)
      const row = await (trx.dialect.name === 'postgres' ? query.forUpdate() : query).first()
      const next = update.next(row ? row.payload : null)

      if (next === null) {
        if (row) await trx.from(SESSIONS_TABLE).where('id', sessionId).delete()
        return
      }
      const values = { payload: next, expires_at: Date.now() + this.database.ageMs }
      if (row) {
        await trx.from(SESSIONS_TABLE).where('id', sessionId).update(values)
      } else {
        await trx
          .insertQuery()
          .table(SESSIONS_TABLE)
          .insert({ id: sessionId, ...values })
      }
    })
  }

  /**
   * On SQLite, the read, the change and the write are one synchronous
   * transaction on Lucid's connection, taken from knex's pool so that no
   * other query runs on it meanwhile, with statements prepared once: no
   * other request of this process can come between, and SQLite's lock keeps
   * other processes out.
   */
  private async sqliteUpdate(sessionId: string, update: RecordUpdate) {
    const client = (this.database.connection().getWriteClient() as any).client
    const connection: BetterSqlite3.Database = await client.acquireConnection()
    try {
      this.sqliteWriter(connection).immediate(sessionId, update)
    } finally {
      await client.releaseConnection(connection)
    }
  }

  private sqliteWriter(connection: BetterSqlite3.Database) {
    let writer = this.writers.get(connection)
    if (!writer) {
      const table = `"${SESSIONS_TABLE}"`
      const select = connection.prepare(`SELECT payload FROM ${table} WHERE id = ?`).pluck()
      const upsert = connection.prepare(
        `INSERT INTO ${table} (id, payload, expires_at) VALUES (?, ?, ?) ` +
          'ON CONFLICT (id) DO UPDATE SET payload = excluded.payload, expires_at = excluded.expires_at'
      )
      const remove = connection.prepare(`DELETE FROM ${table} WHERE id = ?`)
      writer = connection.transaction((sessionId: string, update: RecordUpdate) => {
        const stored = (select.get(sessionId) as string | undefined) ?? null
        const next = update.next(stored)
        if (next !== null) {
          upsert.run(sessionId, next, Date.now() + this.database.ageMs)
        } else if (stored !== null) {
          remove.run(sessionId)
        }
      })
      this.writers.set(connection, writer)
    }
    return writer
  }

  private async compareAndSet(sessionId: string, known: string, next: string | null) {
    const result =
      next === null
        ? await this.database
            .connection()
            .rawQuery('DELETE FROM ?? WHERE id = ? AND payload = ?', [
              SESSIONS_TABLE,
              sessionId,
              known,
            ])
        : await this.database
            .connection()
            .rawQuery('UPDATE ?? SET payload = ?, expires_at = ? WHERE id = ? AND payload = ?', [
              SESSIONS_TABLE,
              next,
              Date.now() + this.database.ageMs,
              sessionId,
              known,
            ])
    // The rows changed: `changes` from SQLite, `rowCount` from PostgreSQL.
    return (result.changes ?? result.rowCount) === 1
  }

  private table() {
    return this.database.connection().from(SESSIONS_TABLE)
  }
}
