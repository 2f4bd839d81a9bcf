/*
|--------------------------------------------------------------------------
| Routes
|--------------------------------------------------------------------------
|
| Every route is named; views and redirects use the names. Every route that
| takes a body runs `formChain` (start/kernel.ts): the write limit, the body
| checks and the CSRF check. The app does not boot without it.
|
*/

import Route from '@ioc:Adonis/Core/Route'
import { formChain, guardEveryWrite } from './kernel'

Route.get('/', 'HomeController.index').as('home')
Route.get('/language/:name', 'LanguageController.update').as('language.update')

Route.group(() => {
  Route.get('/', 'PostsController.index').as('index')
  Route.get('/create', 'PostsController.create').as('create')
  Route.post('/', 'PostsController.store').as('store').middleware(formChain)
})
  .prefix('/posts')
  .as('posts')

Route.group(() => {
  Route.get('/', 'SessionController.show').as('show')
  Route.post('/clear', 'SessionController.clear').as('clear').middleware(formChain)
  Route.post('/regenerate', 'SessionController.regenerate').as('regenerate').middleware(formChain)
  Route.post('/flash', 'SessionController.flash').as('flash').middleware(formChain)
  Route.post('/reflash', 'SessionController.reflash').as('reflash').middleware(formChain)
  Route.get('/relay', 'SessionController.relay').as('relay')
  Route.post('/end', 'SessionController.end').as('end').middleware(formChain)
  Route.post('/race/:lane', 'SessionController.race')
    .where('lane', /^(slow|quick)$/)
    .as('race')
    .middleware(formChain)
})
  .prefix('/session')
  .as('session')

Route.get('/health', 'HealthController.show').as('health')
Route.get('/metrics', 'MetricsController.show').as('metrics')

guardEveryWrite(Route)
