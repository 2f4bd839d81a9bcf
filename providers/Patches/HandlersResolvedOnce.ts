/*
 * Patch: each middleware and controller class is resolved once, not on every
 * request.
 *
 * Gain, measured with it off (server CPU per request, cookie driver;
 * docs/patches.md): a language switch 221 µs instead of 252 (a second run:
 * 215 and 249); a returning visitor's page 205 µs instead of 227 (a second
 * run: 194 and 198, within the noise).
 *
 * If @adonisjs/http-server or @adonisjs/fold changes: boot stops when a
 * member below is gone. What the check cannot see: the patch reads the shape
 * of a middleware (`type: 'lazy-import'`, `value()`, `args`), of a resolved
 * IoC node (`type: 'alias'`, `namespace`, `method`), the container's fakes
 * (`trapCallback`, `usingProxies`) and the `inject` metadata. If those
 * change, a class could be made with `new` where the container would inject
 * its arguments, or a fake swapped in by a test be ignored.
 */
import { PatchTarget, patchTarget } from './patchTarget'

type Container = {
  trapCallback?: unknown
  usingProxies?: boolean
  import(namespace: string): Promise<any>
  isEsm(value: unknown): boolean
  makeRawAsync(value: unknown, args?: unknown[]): Promise<any>
  callAsync(target: any, method: string, args: unknown[]): Promise<any>
}

/**
 * Whether the container answers with fakes (tests can swap a binding): then
 * nothing is remembered and the stock code runs.
 */
function faked(container: Container) {
  return container.trapCallback !== undefined || container.usingProxies === true
}

/**
 * Whether the container would inject anything into the class's constructor
 * (`instance`) or the method: what @adonisjs/fold's Injector reads.
 */
function injects(target: any, member: string) {
  return Object.prototype.hasOwnProperty.call(target, 'inject') && !!target.inject[member]?.length
}

/**
 * An instance of the class, made as the container makes it: with `new` when
 * nothing is injected, through the container otherwise.
 */
function instanceOf(container: Container, Target: any) {
  const newable = typeof Target === 'function' && Target.makePlain !== true
  return newable && !injects(Target, 'instance') ? new Target() : container.makeRawAsync(Target)
}

/**
 * Calls the method as the container calls it.
 */
function callOn(container: Container, instance: any, method: string, args: unknown[]) {
  return injects(instance.constructor, method)
    ? container.callAsync(instance, method, args)
    : instance[method](...args)
}

/** What the patch replaces or reads, checked at boot. */
export const targets: PatchTarget[] = [
  {
    package: '@adonisjs/http-server',
    writtenFor: '5.12.0',
    module: '@adonisjs/http-server/build/src/MiddlewareStore',
    members: ['MiddlewareStore.prototype.invokeMiddleware'],
  },
  {
    package: '@adonisjs/fold',
    writtenFor: '8.2.0',
    module: '@adonisjs/fold/build/src/Resolver',
    members: ['IocResolver.prototype.call', 'IocResolver.prototype.resolve'],
  },
]

/**
 * v5 resolves every global middleware and the route's controller through the
 * IoC container on each request: a lazy `import()` (a `require` through the
 * container's aliases or bindings), the namespace looked up again, the class
 * checked, and `Promise.all` over injections most classes do not declare.
 * Here each class is resolved on its first use and remembered; an instance
 * is still made for every request, with `new` where the container would do
 * just that, and through the container when the class declares injections.
 * When the container serves fakes, the stock code runs.
 */
export function resolveHandlersOnce() {
  const { MiddlewareStore } = patchTarget<
    typeof import('@adonisjs/http-server/build/src/MiddlewareStore')
  >(targets[0])
  const { IocResolver } = patchTarget<typeof import('@adonisjs/fold/build/src/Resolver')>(
    targets[1]
  )

  const middlewareClasses = new WeakMap<object, any>()
  const invokeMiddleware = MiddlewareStore.prototype.invokeMiddleware
  MiddlewareStore.prototype.invokeMiddleware = async function (middleware: any, params: any) {
    const container: Container = (this as any).container
    if (middleware.type !== 'lazy-import' || faked(container)) {
      return invokeMiddleware.call(this, middleware, params)
    }
    let Middleware = middlewareClasses.get(middleware)
    if (!Middleware) {
      Middleware = (await middleware.value()).default
      middlewareClasses.set(middleware, Middleware)
    }
    const instance = await instanceOf(container, Middleware)
    return callOn(container, instance, 'handle', [params[0], params[1], middleware.args])
  }

  const classes = new WeakMap<object, any>()
  const call = IocResolver.prototype.call
  IocResolver.prototype.call = async function (
    namespace: any,
    prefixNamespace?: string,
    args?: any
  ) {
    const container: Container = (this as any).container
    const node =
      typeof namespace === 'string' ? this.resolve(namespace, prefixNamespace) : namespace
    if (node.type !== 'alias' || faked(container)) {
      return call.call(this, namespace, prefixNamespace, args)
    }
    let Target = classes.get(node)
    if (!Target) {
      const value = await container.import(node.namespace)
      Target = container.isEsm(value) && value.default ? value.default : value
      classes.set(node, Target)
    }
    const instance = await instanceOf(container, Target)
    const values = typeof args === 'function' ? args(instance) : args
    return callOn(container, instance, node.method, values || [])
  }
}
