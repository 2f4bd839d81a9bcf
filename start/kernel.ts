/*
|--------------------------------------------------------------------------
| Application middleware
|--------------------------------------------------------------------------
|
| Global middleware runs on every request that matches a route, in order.
|
*/

import Server from '@ioc:Adonis/Core/Server'

Server.middleware.register([
  () => import('App/Middleware/DetectUserLanguage'),
  () => import('App/Middleware/ThrottleWrites'),
  () => import('App/Middleware/AcceptedBody'),
  () => import('@ioc:Adonis/Core/BodyParser'),
  () => import('App/Middleware/Shield'),
])

Server.middleware.registerNamed({})
