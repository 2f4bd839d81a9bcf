import BaseSchema from '@ioc:Adonis/Lucid/Schema'

/**
 * The id of the form a post was sent from, unique: a form sent twice stores
 * one post (app/Services/PostService.ts).
 */
export default class extends BaseSchema {
  protected tableName = 'posts'

  public async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.string('submission_id', 36).nullable().unique()
    })
  }

  public async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropUnique(['submission_id'])
      table.dropColumn('submission_id')
    })
  }
}
