import { patchTarget } from './patchTarget'

/**
 * Not a patch, an internal the app uses: @adonisjs/limiter 1.x wraps each
 * store in its `Limiter` class, which its entry points do not export, and
 * app/Services/ClientLimiter.ts wraps the memory store in it the same way.
 * Checked at boot like the patches, so an upgrade that moves the class stops
 * the app with a message instead of failing every post.
 */
export function limiterStoreClass() {
  return patchTarget<typeof import('@adonisjs/limiter/build/src/limiter')>({
    package: '@adonisjs/limiter',
    writtenFor: '1.0.2',
    module: '@adonisjs/limiter/build/src/limiter',
    members: ['Limiter.prototype.consume'],
  }).Limiter
}
