/*
|--------------------------------------------------------------------------
| Application middleware
|--------------------------------------------------------------------------
|
| Global middleware runs on every request that matches a route: here only
| DetectUserLanguage, so that a page, a redirect or /health pays for nothing
| else.
|
| A route that takes a body (every method but GET and HEAD) runs `formChain`
| as route middleware (start/routes.ts): the write limit, the body type, a
| missing CSRF secret refuse a request before the body parser reads it, and
| the CSRF token is checked after. The app refuses to boot when such a route
| lacks it (`guardEveryWrite`, called at the end of start/routes.ts).
|
*/

import Server from '@ioc:Adonis/Core/Server'
import type { RouteJSON, RouterContract } from '@ioc:Adonis/Core/Route'

Server.middleware.register([() => import('App/Middleware/DetectUserLanguage')])

Server.middleware.registerNamed({
  throttleWrites: () => import('App/Middleware/ThrottleWrites'),
  acceptedBody: () => import('App/Middleware/AcceptedBody'),
  requireCsrfSecret: () => import('App/Middleware/RequireCsrfSecret'),
  bodyParser: () => import('@ioc:Adonis/Core/BodyParser'),
  verifyCsrfToken: () => import('App/Middleware/VerifyCsrfToken'),
})

/**
 * The middleware of every route that takes a body, in this order.
 */
export const formChain = [
  'throttleWrites',
  'acceptedBody',
  'requireCsrfSecret',
  'bodyParser',
  'verifyCsrfToken',
]

type RouteLike = Pick<RouteJSON, 'methods' | 'pattern' | 'name' | 'middleware'>

/**
 * The routes that take a body (a method other than GET and HEAD) but do not
 * run `formChain`, as one line each: method, pattern and name.
 */
export function unguardedWrites(routes: RouteLike[]) {
  return routes
    .filter((route) => route.methods.some((method) => !['GET', 'HEAD'].includes(method)))
    .filter((route) => !runsFormChain(route.middleware))
    .map((route) => `${route.methods.join('|')} ${route.pattern} (${route.name || 'no name'})`)
}

function runsFormChain(middleware: RouteLike['middleware']) {
  const names = middleware.map((item) => (typeof item === 'string' ? item : ''))
  const start = names.indexOf(formChain[0])
  return start >= 0 && formChain.every((name, index) => names[start + index] === name)
}

/**
 * Stops the boot when a route defined so far takes a body without
 * `formChain`: such a route would read any body, of any size, and change
 * state with no CSRF check.
 */
export function guardEveryWrite(router: RouterContract) {
  const found = unguardedWrites(definedRoutes(router.routes))
  if (found.length > 0) {
    throw new Error(
      `These routes take a body but do not run the form middleware; ` +
        `add .middleware(formChain) to them in start/routes.ts: ${found.join(', ')}`
    )
  }
}

/**
 * The routes of groups and resources as the router will register them.
 * The router lists its routes (`toJSON()`) only once it has committed them,
 * after every preload.
 */
function definedRoutes(items: RouterContract['routes']): RouteLike[] {
  return items.flatMap((item) => {
    if ('routes' in item) {
      return definedRoutes(item.routes)
    }
    if ('route' in item) {
      return item.route ? [item.route.toJSON()] : []
    }
    return [item.toJSON()]
  })
}
