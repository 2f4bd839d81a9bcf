/*
|--------------------------------------------------------------------------
| Routes
|--------------------------------------------------------------------------
|
| The app's routes the bench requests, and the named ones its views link
| to (answering 404 here).
|
*/

import Route from '@ioc:Adonis/Core/Route'

Route.get('/', 'HomeController.index').as('home')
Route.get('/language/:name', 'LanguageController.update').as('language.update')
Route.get('/floor', async () => 'ok').as('floor')

Route.group(() => {
  Route.get('/', async ({ response }) => response.notFound()).as('index')
  Route.get('/create', async ({ response }) => response.notFound()).as('create')
})
  .prefix('/posts')
  .as('posts')

Route.get('/session', async ({ response }) => response.notFound()).as('session.show')
