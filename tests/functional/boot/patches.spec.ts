import { test } from '@japa/runner'
import { readdirSync } from 'node:fs'
import Application from '@ioc:Adonis/Core/Application'
import I18n from '@ioc:Adonis/Addons/I18n'
import { patchesEnabled } from '../../../providers/Patches'
import {
  PatchMismatchError,
  PatchTarget,
  installedVersion,
  patchTarget,
} from '../../../providers/Patches/patchTarget'
import { limiterStoreTarget } from '../../../providers/LimiterStore'

/**
 * Every patch module in providers/Patches, with the targets it checks at
 * boot: a new patch is on this list as soon as its file exists.
 */
const patches = readdirSync(Application.makePath('providers/Patches'))
  .filter((file) => file.endsWith('.ts') && !['index.ts', 'patchTarget.ts'].includes(file))
  .map((file) => {
    const name = file.replace(/\.ts$/, '')
    const targets: PatchTarget[] | undefined = require(`../../../providers/Patches/${name}`).targets
    return { name, targets }
  })

/**
 * The module as the package ships it, loaded afresh beside the copy the app
 * uses (which the patches may have changed); the app's copy stays in place.
 */
function stockCopyOf(module: string) {
  const path = require.resolve(module)
  const live = require.cache[path]
  delete require.cache[path]
  try {
    return require(path)
  } finally {
    require.cache[path] = live
  }
}

function memberOf(module: any, path: string) {
  return path.split('.').reduce((owner, key) => owner?.[key], module)
}

/**
 * How many patches name each member: one patch may replace a member that
 * another only reads (Template#wrapToFunction), which then tells nothing
 * about the second.
 */
const namedBy = new Map<string, number>()
for (const target of patches.flatMap((patch) => patch.targets || [])) {
  for (const path of target.members) {
    const member = `${target.module} ${path}`
    namedBy.set(member, (namedBy.get(member) || 0) + 1)
  }
}

/**
 * The members of its targets, named by no other patch, that a patch has
 * replaced: functions whose code is no longer the package's own.
 */
function replacedMembers(targets: PatchTarget[]) {
  return targets.flatMap((target) => {
    const live = require(target.module)
    const stock = stockCopyOf(target.module)
    return target.members
      .filter((path) => namedBy.get(`${target.module} ${path}`) === 1)
      .filter((path) => typeof memberOf(stock, path) === 'function')
      .filter((path) => String(memberOf(live, path)) !== String(memberOf(stock, path)))
      .map((path) => `${target.module} ${path}`)
  })
}

/**
 * The check every patch in providers/Patches runs at boot, here against
 * edge.js as installed.
 */
test.group('Patched packages', () => {
  test('a patch written for another version of its package stops boot, naming both versions', ({
    assert,
  }) => {
    const installed = installedVersion('edge.js')

    const error = (() => {
      try {
        patchTarget({
          package: 'edge.js',
          writtenFor: '0.0.1',
          module: 'edge.js/build/src/Template',
          members: ['Template.prototype.compilePartial'],
        })
      } catch (failure) {
        return failure
      }
    })()

    assert.instanceOf(error, PatchMismatchError)
    assert.include(error.message, 'Cannot patch edge.js')
    assert.include(error.message, 'written for edge.js 0.0.1')
    assert.include(error.message, `edge.js ${installed} is installed`)
  })

  test('a patch whose target is gone stops boot, naming what is missing', ({ assert }) => {
    assert.throws(
      () =>
        patchTarget({
          package: 'edge.js',
          writtenFor: installedVersion('edge.js'),
          module: 'edge.js/build/src/Template',
          members: ['Template.prototype.compilePartial', 'Template.prototype.renamedAway'],
        }),
      /edge\.js\/build\/src\/Template has no Template\.prototype\.renamedAway\./
    )
  })

  test('every package whose internals the app reaches is pinned to the version its code was written for', ({
    assert,
  }) => {
    const { dependencies } = require('../../../package.json')
    const targets = [...patches.flatMap((patch) => patch.targets || []), limiterStoreTarget]
    for (const patch of patches) {
      assert.isNotEmpty(patch.targets, `${patch.name} exports the targets it checks`)
    }

    for (const target of targets) {
      const { package: name, writtenFor } = target
      assert.equal(dependencies[name], writtenFor, `${name} in package.json (${target.module})`)
      assert.equal(installedVersion(name), writtenFor, `${name} in node_modules`)
    }
  })

  test('{name} runs only when APP_PATCHES is on')
    .with(patches)
    .run(({ assert }, { name, targets }) => {
      // The formatter is registered beside the stock one, not in its place.
      const applied =
        name === 'CompiledIcuFormatter'
          ? I18n.getFormatter().name === 'icu-compiled'
          : replacedMembers(targets!).length > 0

      assert.equal(
        applied,
        patchesEnabled(),
        `${name} with APP_PATCHES=${process.env.APP_PATCHES || 'on'} changed: ${
          replacedMembers(targets!).join(', ') || 'nothing'
        }`
      )
    })
})
