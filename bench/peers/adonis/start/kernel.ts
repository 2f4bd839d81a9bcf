/*
|--------------------------------------------------------------------------
| Application middleware
|--------------------------------------------------------------------------
|
| The web scaffold's global middleware, then Shield and the language
| switcher's, as their guides add them.
|
*/

import Server from '@ioc:Adonis/Core/Server'

Server.middleware.register([
  () => import('@ioc:Adonis/Core/BodyParser'),
  () => import('@ioc:Adonis/Addons/Shield'),
  () => import('App/Middleware/DetectUserLanguage'),
])

Server.middleware.registerNamed({})
