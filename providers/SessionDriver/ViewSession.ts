import type { SessionContract } from '@ioc:Adonis/Addons/Session'

/**
 * What the views see of the session: `flashMessages`, and `session` for
 * reading. start/views.ts hands them to a request's view when the request
 * first asks for one, so a redirect, which renders nothing, builds no view.
 * Both read the session as it is when the page renders.
 */
export function sessionViewState(session: SessionContract) {
  return { flashMessages: session.flashMessages, session: new ViewSession(session) }
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
