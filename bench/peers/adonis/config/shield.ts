/*
|--------------------------------------------------------------------------
| Shield
|--------------------------------------------------------------------------
|
| The template's file with the app's values (config/shield.ts at the root),
| so both send the same headers and check CSRF alike.
|
*/

import { ShieldConfig } from '@ioc:Adonis/Addons/Shield'

export const csp: ShieldConfig['csp'] = {
  enabled: true,
  directives: {
    defaultSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  reportOnly: false,
}

export const csrf: ShieldConfig['csrf'] = {
  enabled: true,
  exceptRoutes: [],
  enableXsrfCookie: false,
  methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
}

export const dnsPrefetch: ShieldConfig['dnsPrefetch'] = {
  enabled: true,
  allow: true,
}

export const xFrame: ShieldConfig['xFrame'] = {
  enabled: true,
  action: 'DENY',
}

/**
 * Shield 7 turns a string such as '180 days' into milliseconds, and the
 * header wants seconds: a number is sent as it is.
 */
export const hsts: ShieldConfig['hsts'] = {
  enabled: true,
  maxAge: 180 * 24 * 60 * 60,
  includeSubDomains: true,
  preload: false,
}

export const contentTypeSniffing: ShieldConfig['contentTypeSniffing'] = {
  enabled: true,
}
