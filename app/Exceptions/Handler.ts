/*
|--------------------------------------------------------------------------
| Http Exception Handler
|--------------------------------------------------------------------------
|
| Every failure becomes a translated page (or JSON for API clients) with
| the right status. Stack traces go to the log, never to the visitor.
|
*/

import Logger from '@ioc:Adonis/Core/Logger'
import HttpExceptionHandler from '@ioc:Adonis/Core/HttpExceptionHandler'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import UserLanguage from 'App/Services/UserLanguage'
import { backPath } from 'App/Services/SafeRedirect'
import { Store } from '@adonisjs/session/build/src/Store'
import { isDatabaseOutage } from 'App/Services/DatabaseOutage'

/**
 * The translation key (messages.errors.<kind>) of each status we explain.
 * Anything else in the 4xx range reads as a bad request, 5xx as a server error.
 */
const kinds: Record<number, string> = {
  400: 'badRequest',
  403: 'forbidden',
  404: 'notFound',
  405: 'methodNotAllowed',
  413: 'tooLarge',
  431: 'headersTooLarge',
  500: 'server',
  503: 'unavailable',
}

export default class ExceptionHandler extends HttpExceptionHandler {
  constructor() {
    super(Logger)
  }

  public async handle(error: any, ctx: HttpContextContract) {
    if (error.code === 'E_VALIDATION_FAILURE') {
      return error.handle(error, ctx)
    }

    if (error.code === 'E_BAD_CSRF_TOKEN' && this.wantsHtml(ctx)) {
      return this.redirectExpiredForm(ctx)
    }

    if (isDatabaseOutage(error)) {
      return this.databaseUnavailable(ctx)
    }

    const status = error.status >= 400 && error.status < 600 ? error.status : 500
    return this.renderError(status, ctx)
  }

  /**
   * A form posted with a missing or stale token saves nothing. The visitor goes
   * back to the form with what they typed and a message, not to a dead end.
   */
  private redirectExpiredForm(ctx: HttpContextContract) {
    UserLanguage.apply(ctx)
    ctx.session.flashExcept(['_csrf', '_method'])
    ctx.session.flash('error', ctx.i18n.formatMessage('messages.errors.csrf'))
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
      ctx.session.flashExcept(['_csrf', '_method'])
      ctx.session.flash('error', ctx.i18n.formatMessage('messages.posts.notSaved'))
      return ctx.response.redirect(backPath(ctx.request))
    }
    return this.renderError(503, ctx, 'databaseUnavailable')
  }

  public async renderError(
    status: number,
    ctx: HttpContextContract,
    kind = kinds[status] || (status >= 500 ? 'server' : 'badRequest')
  ) {
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
      return ctx.response.send(`<!DOCTYPE html><title>${status}</title><h1>${status}</h1>`)
    }
  }

  private wantsHtml(ctx: HttpContextContract) {
    const accepted = ctx.request.accepts(['html', 'json'])
    return accepted !== 'json'
  }
}
