/*
|--------------------------------------------------------------------------
| npm run check:imports
|--------------------------------------------------------------------------
|
| Fails when a file imports a package that package.json does not declare.
| Such an import works only while npm happens to hoist the package from
| another one's dependencies, and breaks on the next install that does not.
|
| It reads every .ts and .js file of the project (static imports, `export
| from`, dynamic `import()` and `require()`) and the packages .adonisrc.json
| loads. Node builtins, `@ioc:` bindings and the app's own aliases (App/,
| Config/, Database/, Contracts/) are not packages.
|
*/

const { readdirSync, readFileSync } = require('node:fs')
const { builtinModules } = require('node:module')
const { join, relative } = require('node:path')
const ts = require('typescript')

const root = join(__dirname, '..')
const SKIPPED_FOLDERS = new Set(['node_modules', 'build', 'tmp', 'coverage', '.git'])
const SOURCE_FILE = /\.(ts|js)$/

function sourceFiles(folder = root) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) {
      return SKIPPED_FOLDERS.has(entry.name) ? [] : sourceFiles(path)
    }
    return SOURCE_FILE.test(entry.name) ? [path] : []
  })
}

/**
 * The package a specifier names (`@adonisjs/core/build/standalone` names
 * `@adonisjs/core`), or null for what is not a package.
 */
function packageOf(specifier, aliases) {
  if (/^[./]/.test(specifier) || specifier.startsWith('node:') || specifier.startsWith('@ioc:')) {
    return null
  }
  const segments = specifier.split('/')
  if (aliases.includes(segments[0]) || builtinModules.includes(segments[0])) {
    return null
  }
  return specifier.startsWith('@') ? segments.slice(0, 2).join('/') : segments[0]
}

/**
 * Every module specifier a file imports, with its line number.
 */
function importsOf(path) {
  const source = readFileSync(path, 'utf8')
  const { importedFiles } = ts.preProcessFile(source, true, true)
  return importedFiles.map(({ fileName, pos }) => ({
    specifier: fileName,
    line: source.slice(0, pos).split('\n').length,
  }))
}

/**
 * The packages .adonisrc.json has the framework load: providers, commands.
 */
function rcFileImports() {
  const rc = JSON.parse(readFileSync(join(root, '.adonisrc.json'), 'utf8'))
  const listed = [
    ...(rc.providers || []),
    ...(rc.aceProviders || []),
    ...(rc.testProviders || []),
    ...(rc.commands || []),
  ]
  return listed.map((specifier) => ({ specifier, line: 1 }))
}

function main() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const declared = new Set([
    ...Object.keys(pkg.dependencies || {}),
    ...Object.keys(pkg.devDependencies || {}),
  ])
  const rc = JSON.parse(readFileSync(join(root, '.adonisrc.json'), 'utf8'))
  const aliases = Object.keys(rc.aliases || {})

  const sources = [
    ...sourceFiles().map((path) => ({ path, imports: importsOf(path) })),
    { path: join(root, '.adonisrc.json'), imports: rcFileImports() },
  ]

  const undeclared = []
  for (const { path, imports } of sources) {
    for (const { specifier, line } of imports) {
      const name = packageOf(specifier, aliases)
      if (name && !declared.has(name)) {
        undeclared.push(`  ${relative(root, path)}:${line} imports ${specifier} (${name})`)
      }
    }
  }

  if (undeclared.length) {
    console.error('Imports of packages that package.json does not declare:')
    console.error(undeclared.join('\n'))
    console.error('Add each package to dependencies (or devDependencies for tests and tools).')
    process.exit(1)
  }
  console.log(`Imports: every package imported by ${sources.length} files is declared.`)
}

main()
