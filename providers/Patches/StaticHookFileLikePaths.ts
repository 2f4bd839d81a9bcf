import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import { PatchTarget, patchTarget } from './patchTarget'

/**
 * A path that can name a file in public/: its last segment has an extension
 * (`/css/app.css`, `/favicon.ico`). No page route has one.
 */
const FILE_LIKE = /\.[^/]+$/

/**
 * The stock static hook (config/static.ts) runs before the router and asks
 * the disk about every request: `stat public/index.html` for `/`,
 * `stat public/language/fr` for a language switch. It now looks only at
 * file-like paths and lets every other request through to the router at
 * once. Must run before @adonisjs/core's boot installs the hook.
 */
export const targets: PatchTarget[] = [
  {
    package: '@adonisjs/core',
    writtenFor: '5.9.0',
    module: '@adonisjs/core/build/src/Hooks/Static/index.js',
    members: ['ServeStatic.prototype.handle'],
  },
]

export function staticHookOnFileLikePathsOnly() {
  const { ServeStatic } = patchTarget<
    typeof import('@adonisjs/core/build/src/Hooks/Static/index.js')
  >(targets[0])
  const handle = ServeStatic.prototype.handle
  ServeStatic.prototype.handle = function (ctx: HttpContextContract) {
    return FILE_LIKE.test(ctx.request.url()) ? handle.call(this, ctx) : Promise.resolve()
  }
}
