/*
|--------------------------------------------------------------------------
| Routes
|--------------------------------------------------------------------------
|
| Every route is named; views and redirects use the names.
|
*/

import Route from '@ioc:Adonis/Core/Route'

Route.get('/', 'HomeController.index').as('home')
Route.get('/language/:name', 'LanguageController.update').as('language.update')

Route.group(() => {
  Route.get('/', 'PostsController.index').as('index')
  Route.get('/create', 'PostsController.create').as('create')
  Route.post('/', 'PostsController.store').as('store')
})
  .prefix('/posts')
  .as('posts')

Route.group(() => {
  Route.get('/', 'SessionController.show').as('show')
  Route.post('/clear', 'SessionController.clear').as('clear')
  Route.post('/regenerate', 'SessionController.regenerate').as('regenerate')
  Route.post('/flash', 'SessionController.flash').as('flash')
  Route.post('/reflash', 'SessionController.reflash').as('reflash')
  Route.get('/relay', 'SessionController.relay').as('relay')
  Route.post('/end', 'SessionController.end').as('end')
  Route.post('/race/:lane', 'SessionController.race')
    .where('lane', /^(slow|quick)$/)
    .as('race')
})
  .prefix('/session')
  .as('session')

Route.get('/health', 'HealthController.show').as('health')
Route.get('/metrics', 'MetricsController.show').as('metrics')
