/*
|--------------------------------------------------------------------------
| View globals
|--------------------------------------------------------------------------
|
| Values every page can read.
|
*/

import View from '@ioc:Adonis/Core/View'
import Config from '@ioc:Adonis/Core/Config'
import Route from '@ioc:Adonis/Core/Route'
import type { RequestContract } from '@ioc:Adonis/Core/Request'
import SessionStore from 'App/Services/SessionStore'
import CsrfSecret from 'App/Services/CsrfSecret'

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
