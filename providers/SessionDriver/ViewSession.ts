import type { SessionContract } from '@ioc:Adonis/Addons/Session'

/**
 * What the views see of the session: `flashMessages`, and `session` for
 * reading. Shared with the view once the session is read.
 */
export function shareWithView(ctx: any, session: SessionContract) {
  const view = ctx.view
  if (!view || typeof view.share !== 'function') {
    return
  }
  view.share({ flashMessages: session.flashMessages, session: new ViewSession(session) })
}

/**
 * `session` in the views: reads only. A class instance, which Edge's share()
 * keeps as it is, where a plain object of three functions went through a
 * deep merge on every request.
 */
class ViewSession {
  constructor(private session: SessionContract) {}

  public get(key: string, defaultValue?: any) {
    return this.session.get(key, defaultValue)
  }

  public has(key: string) {
    return this.session.has(key)
  }

  public all() {
    return this.session.all()
  }
}
