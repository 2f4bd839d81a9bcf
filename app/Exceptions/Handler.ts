/*
|--------------------------------------------------------------------------
| Http Exception Handler
|--------------------------------------------------------------------------
|
| Every failure becomes a translated page (or JSON for API clients) with
| the right status. Stack traces go to the log, never to the visitor.
|
*/

import Config from '@ioc:Adonis/Core/Config'
import Logger from '@ioc:Adonis/Core/Logger'
import Application from '@ioc:Adonis/Core/Application'
import HttpExceptionHandler from '@ioc:Adonis/Core/HttpExceptionHandler'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import CreatePostValidator from 'App/Validators/CreatePostValidator'
import UserLanguage from 'App/Services/UserLanguage'
import { errorKind, fallbackPage } from 'App/Services/ErrorPage'
import { backPath } from 'App/Services/SafeRedirect'
import Shield from 'App/Middleware/Shield'
import { Store } from '../../providers/SessionDriver'
import { isDatabaseOutage } from 'App/Services/DatabaseOutage'

export default class ExceptionHandler extends HttpExceptionHandler {
  constructor() {
    super(Logger)
  }

  public async handle(error: any, ctx: HttpContextContract) {
    if (error.code === 'E_VALIDATION_FAILURE') {
      return this.redirectWithErrors(error, ctx)
    }

    if (error.code === 'E_BAD_CSRF_TOKEN' && this.wantsHtml(ctx)) {
      return this.redirectExpiredForm(error, ctx)
    }

    if (error.code === 'E_TOO_MANY_REQUESTS') {
      // Retry-After, and the limit and what is left of it.
      error.setHeaders(ctx)
    }

    if (isDatabaseOutage(error)) {
      return this.databaseUnavailable(ctx)
    }

    const status = error.status >= 400 && error.status < 600 ? error.status : 500
    if (status === 500 && Application.inDev && this.wantsHtml(ctx)) {
      // The framework's detailed page (Youch), for the developer only.
      return super.handle(error, ctx)
    }
    return this.renderError(status, ctx)
  }

  /**
   * One line per failed request: status, code, method, URL and message, with
   * any session id cut to a prefix. Expected failures (a 404, a bad CSRF
   * token, a store that is down...) carry no stack; an unexpected 500 does.
   * Which failures are logged at all stays the framework's choice.
   */
  public report(error: any, ctx: HttpContextContract) {
    error.status = error.status || 500
    if (!this.shouldReport(error)) {
      return
    }

    const mask = (text = '') => maskSessionIds(text, ctx)
    const line: Record<string, any> = {
      status: error.status,
      code: error.code,
      method: ctx.request.method(),
      url: ctx.request.url(),
    }
    if (error.status === 500) {
      line.err = { type: error.name, message: mask(error.message), stack: mask(error.stack) }
    }
    const level = error.status >= 500 ? 'error' : 'warn'
    ctx.logger[level](line, mask(error.message))
  }

  /**
   * The validator's own handler flashes every field of the request and
   * redirects to the Referer as given. Here the form gets back only its own
   * fields, and the redirect goes through SafeRedirect. API clients get the
   * messages as JSON.
   */
  private redirectWithErrors(error: any, ctx: HttpContextContract) {
    if (!error.flashToSession) {
      return ctx.response.status(error.status).send(error.messages)
    }
    ctx.session.flash({ ...CreatePostValidator.oldInput(ctx.request), errors: error.messages })
    return ctx.response.redirect(backPath(ctx.request))
  }

  /**
   * A form posted with a missing or stale token saves nothing. The visitor goes
   * back to the form with what they typed and a message, not to a dead end.
   * A request that came with neither a session nor a CSRF secret of this
   * site (a cross-site post, which SameSite=Lax sends without cookies) gets
   * the 403 page and stores nothing.
   */
  private redirectExpiredForm(error: any, ctx: HttpContextContract) {
    if (ctx.session.fresh && !Shield.browserHasSecret(ctx)) {
      return this.renderError(error.status, ctx)
    }
    UserLanguage.apply(ctx)
    ctx.session.flash({
      ...CreatePostValidator.oldInput(ctx.request),
      error: ctx.i18n.formatMessage('messages.errors.csrf'),
    })
    return ctx.response.redirect(backPath(ctx.request))
  }

  /**
   * The database (PostgreSQL in a fleet) does not answer. A post is not lost:
   * the visitor goes back to the form with what they typed and a message.
   * Anything else gets the 503 page, and works again once the database is back.
   */
  private databaseUnavailable(ctx: HttpContextContract) {
    if (ctx.request.method() === 'POST' && ctx.session.initiated && this.wantsHtml(ctx)) {
      UserLanguage.apply(ctx)
      ctx.session.flash({
        ...CreatePostValidator.oldInput(ctx.request),
        error: ctx.i18n.formatMessage('messages.posts.notSaved'),
      })
      return ctx.response.redirect(backPath(ctx.request))
    }
    return this.renderError(503, ctx, 'databaseUnavailable')
  }

  public async renderError(status: number, ctx: HttpContextContract, kind = errorKind(status)) {
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
    if (!ctx.session.initiated) {
      ctx.view.share({ flashMessages: new Store({}) })
    }

    if (!this.wantsHtml(ctx)) {
      return ctx.response.send({ message: ctx.i18n.formatMessage(`messages.errors.${kind}.title`) })
    }

    try {
      return ctx.response.send(await ctx.view.render('errors/page', { status, kind }))
    } catch (renderError) {
      ctx.logger.error({ err: renderError }, 'cannot render the error page')
      return ctx.response.send(fallbackPage(status))
    }
  }

  private wantsHtml(ctx: HttpContextContract) {
    const accepted = ctx.request.accepts(['html', 'json'])
    return accepted !== 'json'
  }
}

/**
 * The text with this request's session ids (the one the visitor sent, and
 * the one the session has now) cut to their first 8 characters: a file
 * driver error names the session file, and a log must not hand out a live
 * session.
 */
function maskSessionIds(text: string, ctx: HttpContextContract) {
  const ids = new Set([
    ctx.request.cookie(Config.get('session.cookieName')),
    ctx.session?.sessionId,
  ])
  let masked = text
  for (const id of ids) {
    if (typeof id === 'string' && id.length > 8) {
      masked = masked.split(id).join(`${id.slice(0, 8)}…`)
    }
  }
  return masked
}
