import Route from '@ioc:Adonis/Core/Route'
import Server from '@ioc:Adonis/Core/Server'

/**
 * Routes that only the functional suite has (registered when a spec file
 * imports this module, before the suite starts the server): they drive the
 * session directly, so tests can send many writes and flash messages at
 * once.
 */
Route.group(() => {
  Route.get('/put/:key', ({ session, params, response }) => {
    session.put(`keys.${params.key}`, true)
    return response.noContent()
  })
  Route.get('/flash/:key', ({ session, params, response }) => {
    session.flash(params.key, `message ${params.key}`)
    return response.noContent()
  })
  Route.get('/flashed', ({ session, response }) => {
    return response.json(session.flashMessages.all())
  })
  Route.get('/all', ({ session, response }) => response.json(session.all()))
  Route.get('/regenerate', ({ session, response }) => {
    session.regenerate()
    return response.noContent()
  })
}).prefix('/test/session')

const waiting = new Map<string, () => void>()

/**
 * Resolves once the request carrying `X-Held-Request: <id>` has passed the
 * server's before hooks, that is once its session was read.
 */
export function sessionRead(id: string) {
  return new Promise<void>((resolve) => waiting.set(id, resolve))
}

Server.hooks.before(async (ctx) => {
  const id = ctx.request.header('x-held-request')
  if (id && waiting.has(id)) {
    waiting.get(id)!()
    waiting.delete(id)
  }
})
