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
