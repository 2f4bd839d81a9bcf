import { test } from '@japa/runner'
import Route from '@ioc:Adonis/Core/Route'
import Database from '@ioc:Adonis/Lucid/Database'
import { formChain, guardEveryWrite, unguardedWrites } from '../../../start/kernel'
import { driver } from '../../helpers/session_store'
import { Visitor, appUrl, visibleText } from '../../helpers/visitor'
import '../../helpers/session_routes'

const values: Record<string, string> = { name: 'fr', lane: 'slow' }

/**
 * Every route of the app as the router holds it (start/routes.ts).
 */
function appRoutes() {
  return Object.values(Route.toJSON()).flat()
}

/**
 * Each method and path of the app's routes that take a body.
 */
function writes() {
  return appRoutes().flatMap((route) =>
    route.methods
      .filter((method) => !['GET', 'HEAD'].includes(method))
      .map((method) => ({
        method,
        path: route.pattern.replace(/:(\w+)/g, (_, name) => values[name] || 'x'),
      }))
  )
}

test.group(
  `Security: every route that takes a body runs the form middleware (${driver} driver)`,
  (group) => {
    group.each.setup(async () => {
      await Database.from('posts').delete()
    })

    test('a route that takes a body without it stops the boot, naming the route')
      .skip(driver !== 'cookie', 'the check does not depend on the driver')
      .run(({ assert }) => {
        // The router's own classes, as start/routes.ts builds them.
        const { Route: RouteClass, RouteGroup } = Route as any
        const route = (pattern: string, methods: string[], name: string) =>
          new RouteClass(pattern, methods, 'PostsController.store', {}).as(name)
        const group = new RouteGroup([
          route('/', ['GET', 'HEAD'], 'index'),
          route('/', ['POST'], 'store').middleware(formChain),
          route('/:id', ['PUT'], 'update'),
          route('/:id/like', ['POST'], 'like').middleware(
            formChain.filter((name) => name !== 'bodyParser')
          ),
          route('/:id/share', ['POST'], 'share').middleware([...formChain].reverse()),
        ])
          .prefix('/admin/posts')
          .as('admin.posts')

        assert.throws(
          () => guardEveryWrite({ routes: [group, route('/any', ['GET', 'POST'], 'any')] } as any),
          'add .middleware(formChain) to them in start/routes.ts: ' +
            'PUT /admin/posts/:id (admin.posts.update), ' +
            'POST /admin/posts/:id/like (admin.posts.like), ' +
            'POST /admin/posts/:id/share (admin.posts.share), ' +
            'GET|POST /any (any)'
        )
        const guarded = new RouteGroup(group.routes.slice(0, 2)).prefix('/drafts')
        assert.doesNotThrows(() => guardEveryWrite({ routes: [guarded] } as any))
      })

    test("the app's routes that take a body all run it")
      .skip(driver !== 'cookie', 'the routes do not depend on the driver')
      .run(({ assert }) => {
        assert.isAtLeast(writes().length, 7)
        assert.deepEqual(unguardedWrites(appRoutes()), [])
      })

    test('each of them refuses a post without a CSRF token with the 403 page', async ({
      assert,
    }) => {
      const failures: string[] = []
      for (const { method, path } of writes()) {
        const page = await new Visitor().request(method, path, {
          form: { title: 'No token', body: 'x' },
          headers: { referer: `${appUrl()}/posts/create` },
          followRedirects: false,
        })
        if (page.status !== 403 || !visibleText(page.html).includes('Request refused')) {
          failures.push(`${method} ${path}: ${page.status}`)
        }
      }

      assert.isAtLeast(writes().length, 7)
      assert.deepEqual(failures, [])
    })

    test('each of them, posted without a token by a visitor with a session, changes nothing', async ({
      assert,
    }) => {
      const failures: string[] = []
      for (const { method, path } of writes()) {
        const visitor = new Visitor()
        await visitor.get('/language/fr')
        await visitor.get('/posts/create')
        const id = visitor.sessionId()

        const page = await visitor.request(method, path, {
          form: { title: 'No token', body: 'x' },
          headers: { referer: `${appUrl()}/posts/create` },
        })

        const sentBack =
          page.redirects.join() === '/posts/create' &&
          visibleText(page.html).includes("Votre formulaire avait expiré, rien n'a été enregistré.")
        if (!sentBack || visitor.sessionId() !== id) {
          failures.push(`${method} ${path}: ${page.status} ${page.redirects.join()}`)
        }
      }

      assert.deepEqual(failures, [])
    })

    test('a method no route takes gets the 404 page, not an error', async ({ assert }) => {
      // Each path of the app, with the methods no route takes there: a POST to
      // a page, and PUT, PATCH, DELETE anywhere.
      const taken = new Map<string, string[]>()
      for (const route of appRoutes()) {
        const path = route.pattern.replace(/:(\w+)/g, (_, name) => values[name] || 'x')
        taken.set(path, [...(taken.get(path) || []), ...route.methods])
      }
      const paths = [...taken.keys()]
      const failures: string[] = []
      for (const [path, methods] of taken) {
        for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
          if (methods.includes(method)) {
            continue
          }
          for (const type of ['application/x-www-form-urlencoded', 'application/json']) {
            const response = await fetch(`${appUrl()}${path}`, {
              method,
              headers: { 'accept': 'text/html', 'content-type': type },
              body: type === 'application/json' ? '{"title":"x"}' : 'title=x',
              redirect: 'manual',
            })
            const html = await response.text()
            if (response.status !== 404 || !visibleText(html).includes('Page not found')) {
              failures.push(`${method} ${path} (${type}): ${response.status}`)
            }
          }
        }
      }

      assert.isAtLeast(paths.length, 10)
      assert.deepEqual(failures, [])
    })
  }
)

test.group(
  `Security: the CSRF secret follows a session a GET starts (${driver} driver)`,
  (group) => {
    group.each.setup(async () => {
      await Database.from('posts').delete()
    })

    test('a form opened before a GET that flashes and starts the session still works', async ({
      assert,
    }) => {
      const visitor = new Visitor()
      const form = await visitor.get('/posts/create')
      const token = form.html.match(/name='_csrf' value='([^']+)'/)![1]

      await visitor.get('/test/session/flash/notice')
      assert.isDefined(visitor.sessionId(), 'the flash started a session')

      const page = await visitor.post(
        '/posts',
        { _csrf: token, title: 'Opened before a flash', body: 'x' },
        { headers: { referer: `${appUrl()}/posts/create` } }
      )
      assert.notInclude(visibleText(page.html), 'Your form had expired')
      assert.deepEqual(page.redirects, ['/posts'])
      assert.lengthOf(await Database.from('posts').where('title', 'Opened before a flash'), 1)
    })
  }
)
