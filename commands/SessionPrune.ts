import { BaseCommand } from '@adonisjs/core/build/standalone'

/**
 * Asks the session driver to delete what its store keeps past its time: the
 * file driver's expired session files, the locks and temporary files of
 * writes that never finished; the database driver's expired rows. Redis
 * expires its keys itself, and the cookie driver keeps nothing on the
 * server. Run it from cron, or rely on the sweep the running app does every
 * SESSION_PRUNE_INTERVAL.
 */
export default class SessionPrune extends BaseCommand {
  public static commandName = 'session:prune'
  public static description =
    'Delete expired sessions (session files or rows) and leftovers of unfinished writes'

  public static settings = {
    loadApp: true,
    stayAlive: false,
  }

  public async run() {
    const { default: SessionStore } = await import('App/Services/SessionStore')
    const result = await SessionStore.prune()
    if (result) {
      this.logger.success(
        `Removed ${result.removed} expired session(s), kept ${result.kept} (${SessionStore.driver} driver)`
      )
    } else {
      this.logger.info(`The ${SessionStore.driver} driver keeps nothing to prune`)
    }
  }
}
