import BaseSchema from '@ioc:Adonis/Lucid/Schema'
import { SESSIONS_TABLE } from '../../providers/SessionDriver'

/**
 * The database session driver's table (providers/SessionDriver/DatabaseDriver.ts):
 * one row per session, its record and when it expires, indexed for the sweep.
 */
export default class extends BaseSchema {
  protected tableName = SESSIONS_TABLE

  public async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.string('id', 128).primary()
      table.text('payload').notNullable()
      table.bigInteger('expires_at').notNullable().index()
    })
  }

  public async down() {
    this.schema.dropTable(this.tableName)
  }
}
