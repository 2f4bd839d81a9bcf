import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export type PatchTarget = {
  /** The package the patch changes or reads the internals of. */
  package: string
  /** The exact version the patch was written and tested for (pinned in package.json). */
  writtenFor: string
  /** The module of the package the patch reaches into, e.g. `edge.js/build/src/Template`. */
  module: string
  /** What the patch replaces or reads, as paths in that module: `Template.prototype.compilePartial`. */
  members: string[]
  /** The file that reads the module, when it is not a patch in providers/Patches. */
  usedBy?: string
}

/**
 * A patch that no longer matches its package must stop the app at boot
 * rather than turn every request into a 500. Thrown from a provider's
 * `register()`; the Ignitor calls `handle()` instead of printing a stack.
 */
export class PatchMismatchError extends Error {
  constructor(target: PatchTarget, installed: string, problem?: string) {
    const found = problem
      ? `${target.package} ${installed} is the version the patch was written for, but ${problem}.`
      : `The patch was written for ${target.package} ${target.writtenFor}, but ${target.package} ${installed} is installed.`
    const code = target.usedBy || 'the patch in providers/Patches'
    super(
      `Cannot patch ${target.package}. ${found} Check ${code} against ` +
        `${target.package} ${installed}; once it fits, set the version it names and the exact ` +
        `version in package.json to ${installed}.`
    )
    this.name = 'PatchMismatchError'
  }

  /**
   * One clear message, and a failed exit for the supervisor: the Ignitor
   * itself ends the process with 0 after a boot error.
   */
  public async handle() {
    console.error(`\n${this.message}\n`)
    process.exitCode = 1
  }
}

/**
 * The version of a package as installed, read from the package.json next to
 * its entry point (some packages do not export their package.json).
 */
export function installedVersion(packageName: string) {
  let folder = dirname(require.resolve(packageName))
  while (folder !== dirname(folder)) {
    try {
      const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))
      if (pkg.name === packageName) {
        return String(pkg.version)
      }
    } catch (error) {
      if (error.code !== 'ENOENT') {
        throw error
      }
    }
    folder = dirname(folder)
  }
  throw new Error(`Cannot find the package.json of ${packageName}`)
}

/**
 * The module a patch works on, once the installed package is exactly the
 * version the patch was written for and has every member the patch uses.
 * Otherwise stops boot with a PatchMismatchError.
 */
export function patchTarget<Module>(target: PatchTarget): Module {
  const installed = installedVersion(target.package)
  if (installed !== target.writtenFor) {
    throw new PatchMismatchError(target, installed)
  }

  let module: any
  try {
    module = require(target.module)
  } catch {
    throw new PatchMismatchError(target, installed, `${target.module} cannot be loaded`)
  }
  const missing = target.members.filter((path) => {
    const value = path.split('.').reduce((owner, key) => owner?.[key], module)
    return value === undefined
  })
  if (missing.length) {
    throw new PatchMismatchError(target, installed, `${target.module} has no ${missing.join(', ')}`)
  }
  return module
}
