import { test } from '@japa/runner'
import {
  PatchMismatchError,
  installedVersion,
  patchTarget,
} from '../../../providers/Patches/patchTarget'

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

  test('the patched packages are pinned to the exact versions the patches were written for', ({
    assert,
  }) => {
    const { dependencies } = require('../../../package.json')
    for (const name of ['edge.js', '@adonisjs/session', '@adonisjs/i18n', '@adonisjs/core']) {
      assert.equal(dependencies[name], installedVersion(name), name)
    }
  })
})
