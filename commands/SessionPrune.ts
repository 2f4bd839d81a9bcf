import { BaseCommand } from '@adonisjs/core/build/standalone'

/**
 * The file driver keeps each session in tmp/sessions/<id>.txt and nothing
 * else ever deletes them. Run it from cron, or rely on the sweep the running
 * app does every SESSION_PRUNE_INTERVAL.
 */
export default class SessionPrune extends BaseCommand {
  public static commandName = 'session:prune'
  public static description =
    'Delete session files (tmp/sessions) older than the session age; live ones stay'

  public static settings = {
    loadApp: true,
    stayAlive: false,
  }

  public async run() {
    const { default: SessionStore } = await import('App/Services/SessionStore')
    const { removed, kept } = await SessionStore.prune()
    this.logger.success(`Removed ${removed} expired session file(s), kept ${kept}`)
  }
}
