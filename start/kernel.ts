/*
|--------------------------------------------------------------------------
| Application middleware
|--------------------------------------------------------------------------
|
| Global middleware runs on every request that matches a route, in order.
| Everything that can refuse a request without its body (the write limit,
| the body type, a missing CSRF secret) runs before the body parser.
|
*/

import Server from '@ioc:Adonis/Core/Server'

Server.middleware.register([
  () => import('App/Middleware/DetectUserLanguage'),
  () => import('App/Middleware/ThrottleWrites'),
  () => import('App/Middleware/AcceptedBody'),
  () => import('App/Middleware/RequireCsrfSecret'),
  () => import('@ioc:Adonis/Core/BodyParser'),
  () => import('App/Middleware/VerifyCsrfToken'),
])

Server.middleware.registerNamed({})
