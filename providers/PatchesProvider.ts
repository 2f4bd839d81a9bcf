import type { ApplicationContract } from '@ioc:Adonis/Core/Application'
import { patchesEnabled } from './Patches'
import { cacheCompiledTemplates } from './Patches/EdgeTemplateCache'
import { shareViewStateShallowly } from './Patches/EdgeSharedState'
import { registerCompiledIcuFormatter } from './Patches/CompiledIcuFormatter'
import { staticHookOnFileLikePathsOnly } from './Patches/StaticHookFileLikePaths'
import { resolveHandlersOnce } from './Patches/HandlersResolvedOnce'
import { limiterStoreClass } from './LimiterStore'

/**
 * Where the app changes how a package works inside, for speed: one module
 * per patch in providers/Patches, each with its measured gain (docs/patches.md).
 * Each patched package is pinned to an exact version in package.json, and
 * each patch first checks (providers/Patches/patchTarget.ts) that the
 * installed package is that version and still has what the patch replaces:
 * a mismatch stops boot with a message instead of failing requests.
 * APP_PATCHES=off runs the stock code of every one of them instead.
 */
export default class PatchesProvider {
  constructor(protected app: ApplicationContract) {}

  /**
   * Before any provider boots: @adonisjs/core's boot installs the static hook.
   */
  public register() {
    // Not a patch, and checked either way: the write limiter needs the class.
    limiterStoreClass()
    if (!patchesEnabled()) {
      return
    }
    staticHookOnFileLikePathsOnly()
    cacheCompiledTemplates()
    shareViewStateShallowly()
    resolveHandlersOnce()
  }

  /**
   * config/i18n.ts then names `icu-compiled`, or the stock `icu` when off.
   */
  public async boot() {
    if (!patchesEnabled()) {
      return
    }
    this.app.container.withBindings(['Adonis/Addons/I18n'], (I18n) => {
      registerCompiledIcuFormatter(I18n)
    })
  }
}
