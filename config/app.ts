/*
|--------------------------------------------------------------------------
| Application
|--------------------------------------------------------------------------
|
| The app key encrypts cookies (the cookie session driver included), so it
| is generated on first run and never committed.
|
*/

import { hostname } from 'node:os'
import proxyAddr from 'proxy-addr'
import Env from '@ioc:Adonis/Core/Env'
import type { ServerConfig } from '@ioc:Adonis/Core/Server'
import type { LoggerConfig } from '@ioc:Adonis/Core/Logger'
import type { ProfilerConfig } from '@ioc:Adonis/Core/Profiler'
import type { ValidatorConfig } from '@ioc:Adonis/Core/Validator'

export const appKey: string = Env.get('APP_KEY')

/**
 * Which instance of the app answers, shown by /health and the session
 * inspector: behind a load balancer, the one thing that tells them apart.
 */
export const instanceName: string = Env.get('INSTANCE_NAME') || `${hostname()}:${Env.get('PORT')}`

export const http: ServerConfig = {
  allowMethodSpoofing: false,
  subdomainOffset: 2,
  generateRequestId: false,
  trustProxy: proxyAddr.compile('loopback'),
  etag: false,
  jsonpCallbackName: 'callback',
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: Env.get('NODE_ENV') === 'production',
    sameSite: 'lax',
  },
}

export const logger: LoggerConfig = {
  name: Env.get('APP_NAME'),
  enabled: true,
  level: Env.get('NODE_ENV') === 'test' ? 'silent' : 'info',
  prettyPrint: Env.get('NODE_ENV') === 'development',
}

export const profiler: ProfilerConfig = {
  enabled: false,
  blacklist: [],
  whitelist: [],
}

export const validator: ValidatorConfig = {}
