/*
 * Patch: Edge keeps its compiled partials and template functions.
 *
 * Gain, measured with it off (server CPU per request, cookie driver;
 * docs/patches.md): a returning visitor's page 189 µs instead of 1,016; a
 * language switch renders nothing (219 and 227 µs, within the noise).
 * bench/peers/views.js uses it too.
 *
 * If edge.js changes: boot stops when Template#compilePartial or
 * #wrapToFunction is gone. What the check cannot see: compiled code that
 * starts to depend on the render's state, or a compilePartial with more
 * arguments than the cache key holds, would render stale templates; a
 * compiler without `cacheManager` would fail every render.
 */
import { PatchTarget, patchTarget } from './patchTarget'

/**
 * Edge 5 recompiles every `@include` from disk on every render, even with
 * CACHE_VIEWS (Template#compilePartial skips the cache), and turns every
 * compiled template into a new function on every render. With the cache on,
 * both are kept, per Edge instance: the compiled code depends only on the
 * template and the names of the local variables, never on the state.
 * Templates rendered from raw strings could be endless, so past
 * MAX_FUNCTIONS the stock behaviour takes over.
 */
const MAX_FUNCTIONS = 500

/** What the patch replaces or reads, checked at boot. */
export const targets: PatchTarget[] = [
  {
    package: 'edge.js',
    writtenFor: '5.5.1',
    module: 'edge.js/build/src/Template',
    members: ['Template.prototype.compilePartial', 'Template.prototype.wrapToFunction'],
  },
]

export function cacheCompiledTemplates() {
  const { Template } = patchTarget<typeof import('edge.js/build/src/Template')>(targets[0])
  const proto = Template.prototype as any
  const compilePartial = proto.compilePartial
  const wrapToFunction = proto.wrapToFunction
  const caches = new WeakMap<object, Map<string, Map<string, Function>>>()

  /**
   * The function for `key` within `group` (a template path, or the local
   * variable names for compiled code), made once per Edge instance.
   */
  function cached(template: any, group: string, key: string, make: () => Function) {
    if (!template.compiler.cacheManager.enabled) {
      return make()
    }
    let groups = caches.get(template.compiler)
    if (!groups) {
      groups = new Map()
      caches.set(template.compiler, groups)
    }
    let cache = groups.get(group)
    if (!cache) {
      cache = new Map()
      groups.set(group, cache)
    }
    let fn = cache.get(key)
    if (!fn) {
      fn = make()
      if (cache.size < MAX_FUNCTIONS) cache.set(key, fn)
    }
    return fn
  }

  proto.compilePartial = function (templatePath: string, ...locals: string[]) {
    return cached(this, 'partials', `${templatePath}\u0000${locals}`, () =>
      compilePartial.call(this, templatePath, ...locals)
    )
  }

  // Keyed by the compiled code itself: the string the cache hands out each
  // time is the same one, so the lookup does not rehash it.
  proto.wrapToFunction = function (template: string, ...locals: string[]) {
    return cached(this, `code\u0000${locals}`, template, () =>
      wrapToFunction.call(this, template, ...locals)
    )
  }
}
