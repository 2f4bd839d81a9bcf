/*
|--------------------------------------------------------------------------
| Http Exception Handler
|--------------------------------------------------------------------------
|
| Every failure becomes the translated error page (or JSON for API clients)
| with its status; the developer gets the framework's page for a 5xx in
| development. Code of our own only for the failures a visitor recovers
| from: a failed validation, an expired form and a store that is down.
|
*/

import Logger from '@ioc:Adonis/Core/Logger'
import Application from '@ioc:Adonis/Core/Application'
import HttpExceptionHandler from '@ioc:Adonis/Core/HttpExceptionHandler'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import UserLanguage from 'App/Services/UserLanguage'
import OldInput from 'App/Services/OldInput'
import CsrfSecret from 'App/Services/CsrfSecret'
import { errorKind, fallbackPage } from 'App/Services/ErrorPage'
import { logLine } from 'App/Exceptions/ErrorLog'
import { isDatabaseOutage } from 'App/Services/DatabaseOutage'
import { recordUnavailable } from 'App/Services/Metrics'
import { Store } from '../../providers/SessionDriver'

const ERROR_PAGE = 'errors/page'

/**
 * The flash messages of a request whose session could not be read.
 */
const NONE = new Store({})

export default class ExceptionHandler extends HttpExceptionHandler {
  protected statusPages = { [Application.inDev ? '400..499' : '400..599']: ERROR_PAGE }
  protected disableStatusPagesInDevelopment = false
  // A failed validation is the visitor's everyday mistake; any other bad
  // request (a body that does not decompress, say) is logged.
  protected ignoreStatuses = [401, 422]
  // The framework leaves a page not found out of the log; here every failed
  // request has its one line, with its request id.
  protected internalIgnoreCodes: string[] = []

  constructor() {
    super(Logger)
  }

  public async handle(error: any, ctx: HttpContextContract) {
    if (error.code === 'E_VALIDATION_FAILURE') {
      if (!error.flashToSession) {
        return ctx.response.status(error.status).send(error.messages)
      }
      return this.sendBack(ctx, { errors: error.messages })
    }
    if (error.code === 'E_BAD_CSRF_TOKEN' && this.canSendBack(ctx)) {
      return this.sendBack(ctx, { error: 'messages.errors.csrf' })
    }
    if (isDatabaseOutage(error)) {
      recordUnavailable('E_DATABASE_UNAVAILABLE')
      // A post is not lost: the visitor goes back to the form with what they typed.
      if (ctx.request.method() === 'POST' && ctx.session.initiated && this.wantsHtml(ctx)) {
        return this.sendBack(ctx, { error: 'messages.posts.notSaved' })
      }
      return this.render(503, ctx, 'databaseUnavailable')
    }
    if (error.status === 503) {
      // A session or limiter store that is down: the 503 page, until it is back.
      recordUnavailable(error.code || 'E_UNAVAILABLE')
      return this.render(503, ctx)
    }
    if (error.code === 'E_TOO_MANY_REQUESTS') {
      // Retry-After, and the limit and what is left of it.
      error.setHeaders(ctx)
      return this.render(429, ctx, error.pageKind)
    }
    error.status = error.status >= 400 && error.status < 600 ? error.status : 500
    return super.handle(error, ctx)
  }

  /**
   * One line per failed request, with any session id cut to a prefix; the
   * stack only for an unexpected 500.
   */
  public report(error: any, ctx: HttpContextContract) {
    error.status = error.status || 500
    if (this.shouldReport(error)) {
      const [level, line, message] = logLine(error, ctx)
      ctx.logger[level](line, message)
    }
  }

  /**
   * A visitor who can be sent back to the form: one with a session, or with
   * a CSRF secret of this site (a form was opened here). A cross-site post,
   * which SameSite=Lax sends without cookies, gets the 403 page and stores
   * nothing.
   */
  private canSendBack(ctx: HttpContextContract) {
    return this.wantsHtml(ctx) && (!ctx.session.fresh || CsrfSecret.browserHasSecret(ctx))
  }

  /**
   * Back to the form with what the visitor typed and a message (a
   * translation key, or the validator's messages).
   */
  private sendBack(ctx: HttpContextContract, { error, errors }: { error?: string; errors?: any }) {
    UserLanguage.apply(ctx)
    const message = error ? { error: ctx.i18n.formatMessage(error) } : { errors }
    const response = OldInput.sendBack(ctx, message)
    CsrfSecret.followSession(ctx)
    return response
  }

  /**
   * The error page; in development, a 5xx has no status page and gets the
   * framework's detailed page (Youch) for the developer.
   */
  protected async makeHtmlResponse(error: any, ctx: HttpContextContract) {
    if (!(error.status in (this as any).expandedStatusPages)) {
      return super.makeHtmlResponse(error, ctx)
    }
    return this.render(error.status, ctx, error.pageKind)
  }

  protected async makeJSONResponse(error: any, ctx: HttpContextContract) {
    return this.render(error.status, ctx, error.pageKind)
  }

  /**
   * The translated page of a status, or of a kind of failure an exception
   * names (`pageKind`).
   */
  private async render(status: number, ctx: HttpContextContract, kind = errorKind(status)) {
    ctx.response.status(status)
    // The session commit runs after the controller: when it fails, the
    // visitor gets this page, not the redirect the controller had set.
    ctx.response.removeHeader('location')
    if (status === 503) {
      ctx.response.header('retry-after', '5')
    }
    try {
      UserLanguage.apply(ctx)
    } catch {
      // A session that could not be read must not hide the error page itself.
    }

    if (!this.wantsHtml(ctx)) {
      return ctx.response.send({ message: ctx.i18n.formatMessage(`messages.errors.${kind}.title`) })
    }
    try {
      const data = ctx.session.initiated ? { status, kind } : { status, kind, flashMessages: NONE }
      return ctx.response.send(await ctx.view.render(ERROR_PAGE, data))
    } catch (renderError) {
      ctx.logger.error({ err: renderError }, 'cannot render the error page')
      return ctx.response.send(fallbackPage(status))
    }
  }

  private wantsHtml(ctx: HttpContextContract) {
    return ctx.request.accepts(['html', 'json']) !== 'json'
  }
}
