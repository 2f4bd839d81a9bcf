import type { ApplicationContract } from '@ioc:Adonis/Core/Application'
import { cacheCompiledTemplates } from './Patches/EdgeTemplateCache'
import { shareViewStateShallowly } from './Patches/EdgeSharedState'
import { registerCompiledIcuFormatter } from './Patches/CompiledIcuFormatter'
import { staticHookOnFileLikePathsOnly } from './Patches/StaticHookFileLikePaths'
import { resolveHandlersOnce } from './Patches/HandlersResolvedOnce'
import { limiterStoreClass } from './Patches/LimiterStoreClass'

/**
 * Where the app changes how a package works inside, one module per patch in
 * providers/Patches. Each patched package is pinned to an exact version in
 * package.json, and each patch first checks (providers/Patches/patchTarget.ts)
 * that the installed package is that version and still has what the patch
 * replaces: a mismatch stops boot with a message instead of failing requests.
 */
export default class PatchesProvider {
  constructor(protected app: ApplicationContract) {}

  /**
   * Before any provider boots: @adonisjs/core's boot installs the static hook.
   */
  public register() {
    staticHookOnFileLikePathsOnly()
    cacheCompiledTemplates()
    shareViewStateShallowly()
    resolveHandlersOnce()
    limiterStoreClass()
  }

  public async boot() {
    this.app.container.withBindings(['Adonis/Addons/I18n'], (I18n) => {
      registerCompiledIcuFormatter(I18n)
    })
  }
}
