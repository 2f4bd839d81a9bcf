import type { QueryClientContract } from '@ioc:Adonis/Lucid/Database'
import { StoreDriver } from './StoreDriver'
import type { RecordUpdate } from './StoreDriver'
import type { SessionDriverOptions } from './types'

export type DatabaseDriverOptions = SessionDriverOptions & {
  connection: () => QueryClientContract
  /**
   * The table, with `id` (primary key), `payload` (the record) and
   * `expires_at` (milliseconds since the epoch, indexed for the sweep).
   */
  table: string
}

/**
 * Keeps each session in a row of a table through Lucid: the app's SQLite
 * file, or PostgreSQL when the app's database is PostgreSQL. A commit reads
 * the row, applies the request's change and writes it in one transaction,
 * the row locked (`SELECT ... FOR UPDATE`) on PostgreSQL; SQLite serializes
 * writers by itself. A database that is down or locked becomes
 * `options.unavailable` (the 503 page) within the connection's timeouts
 * (config/database.ts).
 */
export class DatabaseDriver extends StoreDriver {
  constructor(private database: DatabaseDriverOptions) {
    super('database', database)
  }

  /**
   * Deletes the expired rows; resolves to how many.
   */
  public async prune(now = Date.now()) {
    const deleted = await this.table().where('expires_at', '<=', now).delete()
    return Number(Array.isArray(deleted) ? deleted[0] : deleted) || 0
  }

  protected async fetch(sessionId: string) {
    const row = await this.table()
      .select('payload')
      .where('id', sessionId)
      .where('expires_at', '>', Date.now())
      .first()
    return row ? (row.payload as string) : null
  }

  protected async update(sessionId: string, update: RecordUpdate) {
    await this.database.connection().transaction(async (trx) => {
      const query = trx.from(this.database.table).select('payload').where('id', sessionId)
      const row = await (trx.dialect.name === 'postgres' ? query.forUpdate() : query).first()
      const next = update(row ? row.payload : null)

      if (next === null) {
        if (row) await trx.from(this.database.table).where('id', sessionId).delete()
        return
      }
      const values = { payload: next, expires_at: Date.now() + this.database.ageMs }
      if (row) {
        await trx.from(this.database.table).where('id', sessionId).update(values)
      } else {
        await trx
          .insertQuery()
          .table(this.database.table)
          .insert({ id: sessionId, ...values })
      }
    })
  }

  protected async remove(sessionId: string) {
    await this.table().where('id', sessionId).delete()
  }

  private table() {
    return this.database.connection().from(this.database.table)
  }
}
