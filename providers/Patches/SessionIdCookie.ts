import { patchTarget } from './patchTarget'

/**
 * Every response sets the session id cookie again, to restart its Max-Age,
 * and the stock session signs the id anew (an HMAC) each time. Signing is
 * deterministic, so while the id is the one the request's cookie carried
 * (verified when the session read it), that cookie's value is the signed id
 * and is sent back as it came. A new or regenerated id is signed as before.
 */
export function reuseSignedSessionCookie() {
  const { Session } = patchTarget<typeof import('@adonisjs/session/build/src/Session')>({
    package: '@adonisjs/session',
    writtenFor: '6.4.0',
    module: '@adonisjs/session/build/src/Session',
    members: ['Session.prototype.touchSessionCookie'],
  })
  const proto = Session.prototype as any
  const touchSessionCookie = proto.touchSessionCookie

  proto.touchSessionCookie = function () {
    const { cookieName, cookie } = this.config
    const received = this.ctx.request.cookiesList()[cookieName]
    if (this.fresh || this.sessionId !== this.currentSessionId || typeof received !== 'string') {
      return touchSessionCookie.call(this)
    }
    // `encode: false` (the serializer's option): the value is already signed.
    this.ctx.response.plainCookie(cookieName, received, { ...cookie, encode: false } as any)
  }
}
