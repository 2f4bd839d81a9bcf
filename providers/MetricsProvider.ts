import { performance } from 'node:perf_hooks'
import type { ApplicationContract } from '@ioc:Adonis/Core/Application'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'

declare module '@ioc:Adonis/Core/HttpContext' {
  interface HttpContextContract {
    /** When the first server hook saw the request (performance.now(), ms). */
    startedAt: number
  }
}

/**
 * A request slower than this is logged even when it succeeded.
 */
const SLOW_MS = 1000

/**
 * Times every request for /metrics and logs a line per request, with the
 * request id that `ctx.logger` carries (app/Services/RequestId.ts): at
 * `info` when it was slow, at `debug` otherwise. A failed request already
 * has its one line, with the same id, from the exception handler
 * (app/Exceptions/ErrorLog.ts). A line for every request cost 20% of the bench's returning
 * visitor (166 → 199 µs of CPU per request, bench/ab.js); behind HAProxy,
 * its own log has a line per request with the same id.
 *
 * Listed in .adonisrc.json before @adonisjs/core, its before hook is the
 * first one, ahead of the static files: a stylesheet is timed too. Its after
 * hook is added once every provider has booted, so it runs after the session
 * commit (an after hook of @adonisjs/session) and the time includes it. A
 * commit that throws skips the after hooks left: that request is counted by
 * the store's error counter, not here.
 */
export default class MetricsProvider {
  constructor(protected app: ApplicationContract) {}

  public boot() {
    this.app.container.withBindings(['Adonis/Core/Server'], (Server) => {
      Server.hooks.before(start)
    })
  }

  public ready() {
    const { recordRequest } = require('App/Services/Metrics')
    const end = async (ctx: HttpContextContract) => {
      const ms = Math.round((performance.now() - ctx.startedAt) * 100) / 100
      const status = ctx.response.getStatus()
      const route = ctx.route?.name || 'none'
      recordRequest(route, status, ms / 1000)
      const level = ms >= SLOW_MS ? 'info' : 'debug'
      if (level === 'info' || ctx.logger.isLevelEnabled('debug')) {
        const url = ctx.request.url().slice(0, 200)
        ctx.logger[level]({ method: ctx.request.method(), url, route, status, ms }, 'request')
      }
    }
    this.app.container.use('Adonis/Core/Server').hooks.after(end)
  }
}

/**
 * Through AdonisJS's response rather than `res.setHeader`: a header set on
 * the Node response before AdonisJS writes its own sends every one of them
 * through Node's slower path (11 µs per request of the bench's returning
 * visitor, 197 -> 186).
 */
async function start(ctx: HttpContextContract) {
  ctx.startedAt = performance.now()
  ctx.response.header('x-request-id', ctx.request.id()!)
}
