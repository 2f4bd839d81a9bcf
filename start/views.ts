/*
|--------------------------------------------------------------------------
| View globals
|--------------------------------------------------------------------------
|
| Values every page can read.
|
*/

import View from '@ioc:Adonis/Core/View'
import HttpContext from '@ioc:Adonis/Core/HttpContext'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import Config from '@ioc:Adonis/Core/Config'
import Route from '@ioc:Adonis/Core/Route'
import type { RequestContract } from '@ioc:Adonis/Core/Request'
import SessionStore from 'App/Services/SessionStore'
import CsrfSecret from 'App/Services/CsrfSecret'
import UserLanguage from 'App/Services/UserLanguage'
import { sessionViewState } from '../providers/SessionDriver'

/**
 * A request's view (`ctx.view`), made when the request first asks for one,
 * with what every page reads: `request` (as @adonisjs/view's own getter
 * shares it), `i18n`, the visitor's `userLanguage`, `flashMessages` and
 * `session`. A request that renders nothing (a redirect, /health) builds no
 * view: sharing these at the start of every request cost a language switch
 * 7% of its CPU. Pages are rendered once the session is read and the
 * language applied (DetectUserLanguage); `userLanguage` is what the session
 * holds when the view is made.
 */
HttpContext.getter(
  'view',
  function (this: HttpContextContract) {
    return View.share({
      request: this.request,
      i18n: this.i18n,
      userLanguage: UserLanguage.of(this),
      ...sessionViewState(this.session),
    })
  },
  true
)

View.global('sessionDriver', SessionStore.driver)
View.global('instanceName', Config.get('app.instanceName'))

/**
 * `route()` as @adonisjs/view defines it, except that the URL of a route
 * named with plain parameters, or none, is built once: every page builds the
 * same few links (header, language switcher, footer), and routes do not
 * change once the app serves. At most ROUTE_URLS of them are kept.
 */
const ROUTE_URLS = 200
const routeUrls = new Map<string, string>()
View.global('route', (identifier: string, params?: Record<string, any>, options?: any) => {
  const key = options === undefined && cacheKey(identifier, params)
  let url = key ? routeUrls.get(key) : undefined
  if (url === undefined) {
    url = Route.makeUrl(identifier, params, options)
    if (key && routeUrls.size < ROUTE_URLS) routeUrls.set(key, url)
  }
  return url
})

function cacheKey(identifier: string, params?: Record<string, any>) {
  if (params === undefined) {
    return identifier
  }
  const plain = Object.values(params).every((value) => ['string', 'number'].includes(typeof value))
  return plain && `${identifier}\u0000${JSON.stringify(params)}`
}

/**
 * A form's CSRF field and the meta tag for scripts, with this request's token
 * (`CsrfSecret.pageToken`). `this` is the render's state, where
 * @adonisjs/view shares the request: nothing is shared per request for them.
 */
type RenderState = { request?: RequestContract }
View.global('csrfField', function (this: RenderState) {
  return View.GLOBALS.safe(`<input type='hidden' name='_csrf' value='${pageToken(this)}'>`)
})
View.global('csrfMeta', function (this: RenderState) {
  return View.GLOBALS.safe(`<meta name='csrf-token' content='${pageToken(this)}'>`)
})

function pageToken(state: RenderState) {
  const ctx = state.request?.ctx
  if (!ctx) {
    throw new Error('csrfField() reads the shared `request`: no render may pass its own `request`')
  }
  return CsrfSecret.pageToken(ctx)
}
