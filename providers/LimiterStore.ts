import { PatchTarget, patchTarget } from './Patches/patchTarget'

/**
 * Not a patch, an internal the app reads: @adonisjs/limiter 1.x wraps each
 * store in its `Limiter` class, which its entry points do not export, and
 * app/Services/ClientLimiter.ts wraps the memory store in it the same way.
 * So the package is pinned and checked at boot like a patched one
 * (PatchesProvider, whatever APP_PATCHES says): an upgrade that moves the
 * class stops the app with a message instead of failing every post.
 */
export const limiterStoreTarget: PatchTarget = {
  package: '@adonisjs/limiter',
  writtenFor: '1.0.2',
  module: '@adonisjs/limiter/build/src/limiter',
  members: ['Limiter.prototype.consume'],
  usedBy: 'providers/LimiterStore.ts',
}

export function limiterStoreClass() {
  return patchTarget<typeof import('@adonisjs/limiter/build/src/limiter')>(limiterStoreTarget)
    .Limiter
}
