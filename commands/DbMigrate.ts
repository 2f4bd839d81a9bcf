import { BaseCommand } from '@adonisjs/core/build/standalone'

/**
 * `migration:run --force`, without Lucid's "Upgrading migrations version
 * from 1 to 2" on a fresh database: Lucid 18 starts a new versions table
 * (adonis_schema_versions) at version 1, then upgrades the names of the
 * migrations already run, none on a fresh database. A database without a
 * migrations table starts at Lucid's current version instead; one that has
 * run migrations before is left to Lucid.
 */
export default class DbMigrate extends BaseCommand {
  public static commandName = 'db:migrate'
  public static description =
    'Apply pending migrations (migration:run --force); a fresh database starts at the current migrations version'

  public static settings = {
    loadApp: true,
    stayAlive: false,
  }

  public async run() {
    const Database = this.application.container.use('Adonis/Lucid/Database')
    const Migrator = this.application.container.resolveBinding('Adonis/Lucid/Migrator')
    // The version this Lucid writes, and its tables' names.
    const { version, schemaTableName, schemaVersionsTableName } = new Migrator(
      Database,
      this.application,
      { direction: 'up' }
    ) as unknown as { version: number; schemaTableName: string; schemaVersionsTableName: string }

    // A knex schema builder runs again every call made on it: one per call.
    const schema = () => Database.connection().schema
    const fresh =
      !(await schema().hasTable(schemaTableName)) &&
      !(await schema().hasTable(schemaVersionsTableName))
    if (fresh) {
      await schema().createTable(schemaVersionsTableName, (table) => {
        table.integer('version').notNullable()
      })
      await Database.table(schemaVersionsTableName).insert({ version })
    }

    const migrate = await this.kernel.exec('migration:run', ['--force'])
    this.exitCode = migrate.exitCode
    await Database.manager.closeAll()
  }
}
