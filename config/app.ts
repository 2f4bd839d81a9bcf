/*
|--------------------------------------------------------------------------
| Application
|--------------------------------------------------------------------------
|
| The app key encrypts cookies (the cookie session driver included), so it
| is generated on first run and never committed.
|
*/

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
 * The name the operator gives (the fleet names its instances), or none: the
 * machine's host name is not for visitors to read.
 */
export const instanceName: string | undefined = Env.get('INSTANCE_NAME')

/**
 * The proxies whose X-Forwarded-* headers count (TRUSTED_PROXIES): only
 * when the socket's peer is one of them is the client's address the last
 * one that proxy wrote in X-Forwarded-For, and the protocol the one it says.
 * One hop only: what comes before the proxy's own entry was written by the
 * client. From any other peer, the address is the socket's, whatever the
 * headers say, so a client cannot pick a new address (and a new rate limit)
 * per request.
 */
const trustedProxy = proxyAddr.compile(Env.get('TRUSTED_PROXIES') || [])

export const http: ServerConfig = {
  allowMethodSpoofing: false,
  subdomainOffset: 2,
  generateRequestId: false,
  trustProxy: (address, hop) => hop === 0 && trustedProxy(address, hop),
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
