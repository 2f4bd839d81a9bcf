/*
|--------------------------------------------------------------------------
| The app's Edge template cache, lent to stock AdonisJS
|--------------------------------------------------------------------------
|
| Preloaded into bench/peers/adonis (node -r), as bench/peers/views.js does
| for the Fastify and Express peers, so that the comparison is about
| everything but the template engine. Comes from the production build,
| which the bench makes first.
|
*/

const { join } = require('node:path')

require(
  join(__dirname, '..', '..', 'build/providers/Patches/EdgeTemplateCache')
).cacheCompiledTemplates()
