import type { ApplicationContract } from '@ioc:Adonis/Core/Application'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import { ServeStatic } from '@adonisjs/core/build/src/Hooks/Static/index.js'

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
 * once. Patched at register time, before @adonisjs/core's boot installs it.
 */
export default class PublicFilesProvider {
  constructor(protected app: ApplicationContract) {}

  public register() {
    const handle = ServeStatic.prototype.handle
    ServeStatic.prototype.handle = function (ctx: HttpContextContract) {
      return FILE_LIKE.test(ctx.request.url()) ? handle.call(this, ctx) : Promise.resolve()
    }
  }
}
