import I18n from '@ioc:Adonis/Addons/I18n'
import { Exception } from '@adonisjs/core/build/standalone'
import Config from '@ioc:Adonis/Core/Config'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import CsrfSecret from 'App/Services/CsrfSecret'
import Route from '@ioc:Adonis/Core/Route'
import {
  FlashDemo,
  Mask,
  RaceDemo,
  Regeneration,
  storageProbe,
} from 'App/Services/SessionInspector'
import type { RaceLane, RaceVisitor } from 'App/Services/SessionInspector/RaceDemo'

/**
 * The inspector, scrolled to the result of what the visitor just did: the
 * element with that id (a heading with tabindex="-1", which
 * public/js/land-on-result.js gives the focus).
 */
function inspectorAt(anchor: string) {
  return `${Route.makeUrl('session.show')}#${anchor}`
}

/**
 * The session inspector: what the visitor's session holds, where the driver
 * keeps it, and the session calls of the guide (clear, regenerate, flash,
 * reflash) one button away.
 */
export default class SessionController {
  public async show(ctx: HttpContextContract) {
    const { session, view } = ctx
    const request = FlashDemo.countRequest(session, { justLooking: true })
    const storage = storageProbe()
    // Taken before `values` is read, so the pending old id is never rendered.
    const regenerated = await Regeneration.take(ctx, storage)

    const csrfSecret = CsrfSecret.browserSecret(ctx)
    return view.render('session/show', {
      // Not `request`: that is the request @adonisjs/view shares, which
      // `csrfField()` reads.
      requestNumber: request,
      regenerated,
      // Without a session, its id would be a new one on every reload.
      fresh: session.fresh,
      idPrefix: session.fresh ? null : Mask.prefix(session.sessionId),
      csrfSecret: csrfSecret && Mask.mask(csrfSecret),
      csrfCookie: Config.get('app.http.cookie.secure') ? '__Host-csrf-secret' : 'csrf-secret',
      race: RaceDemo.result(session, 'returning'),
      newVisitorRace: RaceDemo.result(session, 'new'),
      storage: await storage.inspect(ctx),
      values: Mask.values(session),
      flashJson: JSON.stringify(session.flashMessages.all(), null, 2),
      timeline: FlashDemo.timeline(session, request),
    })
  }

  /**
   * Empties the session and gives it a new id; the CSRF secret changes with
   * the id, and the next page's form carries a token of the new one.
   */
  public async clear({ session, response, i18n }: HttpContextContract) {
    session.clear()

    // The language was in the session too: the next page, and so this
    // message, is in the default language.
    i18n.switchLocale(I18n.defaultLocale)
    session.flash(
      'success',
      i18n.formatMessage('messages.inspector.clear.done', {
        language: i18n.formatMessage(`messages.languages.${I18n.defaultLocale}`),
      })
    )
    return response.redirect(inspectorAt('flash-success'))
  }

  public async regenerate({ session, response, i18n }: HttpContextContract) {
    FlashDemo.countRequest(session)
    Regeneration.regenerate(session)

    session.flash('success', i18n.formatMessage('messages.inspector.regenerate.done'))
    return response.redirect(inspectorAt('regenerated-heading'))
  }

  /**
   * Request N of the flash demo: flashes, and the redirect is request N+1.
   */
  public async flash({ session, response, i18n }: HttpContextContract) {
    const request = FlashDemo.countRequest(session)
    FlashDemo.start(session, request, false)

    session.flash(
      'success',
      i18n.formatMessage('messages.inspector.lifecycle.flashed', { request })
    )
    return response.redirect(inspectorAt('flash-current'))
  }

  /**
   * Request N of the reflash demo: flashes, then redirects to the relay.
   */
  public async reflash({ session, response, i18n }: HttpContextContract) {
    const request = FlashDemo.countRequest(session)
    FlashDemo.start(session, request, true)

    session.flash(
      'success',
      i18n.formatMessage('messages.inspector.lifecycle.reflashed', { request })
    )
    return response.redirect().toRoute('session.relay')
  }

  /**
   * Request N+1 of the reflash demo: the message is read here, so without
   * `reflash()` the page after the second redirect would not have it.
   */
  public async relay({ session, response }: HttpContextContract) {
    FlashDemo.countRequest(session, { justLooking: true })
    session.reflash()
    return response.redirect(inspectorAt('flash-current'))
  }

  /**
   * One of the two requests of the race demo, sent together by the page's
   * script: `run` (a number the page picks per race) ties them together.
   * As a new visitor's, each also flashes a message: only the one of the
   * session the browser keeps is ever shown.
   */
  public async race({ params, request, session, response, i18n }: HttpContextContract) {
    const run = Number(request.input('run'))
    if (!Number.isSafeInteger(run) || run <= 0) {
      throw new Exception('A race request needs its run number', 400, 'E_BAD_REQUEST')
    }
    const lane = params.lane as RaceLane
    const visitor: RaceVisitor = request.input('visitor') === 'new' ? 'new' : 'returning'
    await RaceDemo.run(session, lane, run, visitor)
    if (visitor === 'new') {
      session.flash('success', i18n.formatMessage(`messages.inspector.race.newVisitor.${lane}`))
    }
    return response.noContent()
  }

  /**
   * Ends the session: its record goes and the browser drops its cookie, as
   * if it never had one. The race as a new visitor starts here.
   */
  public async end({ session, response }: HttpContextContract) {
    session.clear()
    return response.noContent()
  }
}
