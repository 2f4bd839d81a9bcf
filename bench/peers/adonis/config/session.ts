/*
|--------------------------------------------------------------------------
| Session
|--------------------------------------------------------------------------
|
| @adonisjs/session's template, with its own drivers and the app's cookie
| settings (Secure, SameSite=Lax, 2 h).
|
*/

import Env from '@ioc:Adonis/Core/Env'
import Application from '@ioc:Adonis/Core/Application'
import { sessionConfig } from '@adonisjs/session/build/config'

export default sessionConfig({
  enabled: true,
  driver: Env.get('SESSION_DRIVER'),
  cookieName: 'adonis-session',
  clearWithBrowser: false,
  age: '2h',
  cookie: {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: true,
  },
  file: {
    location: Application.tmpPath('sessions'),
  },
  redisConnection: 'local',
})
