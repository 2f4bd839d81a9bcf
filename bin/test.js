/*
|--------------------------------------------------------------------------
| npm test
|--------------------------------------------------------------------------
|
| Runs the functional and browser suites once per real session driver:
| cookie, file, redis and database, with the view cache on, as in
| production. The redis run gets its own redis-server on a free port. The
| production suite runs once: it builds the app and starts the build. The
| fleet suite runs once: it starts whole fleets of its own (support/fleet/), each
| instance with its own driver. Options:
|
|   --suite functional|production|browser|fleet   one suite only (default: all)
|   SESSION_DRIVER=file                           one driver only
|
| Any other argument goes to Japa, e.g. `npm test -- --files=switch.spec`
| (Japa matches the end of the file path, without the extension).
|
*/

const { spawn } = require('node:child_process')
const { mkdirSync, rmSync } = require('node:fs')
const { join } = require('node:path')
const { root, ensureEnvFile } = require('./setup')
const { freePort, startRedis } = require('../support/services')

const DRIVERS = ['cookie', 'file', 'redis', 'database']
const SUITES = ['functional', 'production', 'browser', 'fleet']

/**
 * Suites that run once, whatever the driver: they start the app themselves.
 */
const ONCE = ['production', 'fleet']

function parseArgs(argv) {
  const japaArgs = argv.filter((arg) => arg !== '--')
  const suiteIndex = japaArgs.indexOf('--suite')
  const suites = suiteIndex === -1 ? SUITES : japaArgs.splice(suiteIndex, 2).slice(1)
  const drivers = process.env.SESSION_DRIVER ? [process.env.SESSION_DRIVER] : DRIVERS

  for (const driver of drivers) {
    if (!DRIVERS.includes(driver)) throw new Error(`Unknown SESSION_DRIVER "${driver}"`)
  }
  for (const suite of suites) {
    if (!SUITES.includes(suite)) throw new Error(`Unknown suite "${suite}"`)
  }
  return { suites, drivers, japaArgs }
}

/**
 * Runs test.ts for one suite, as `node ace test` does but without its
 * terminal reset (ESC c) that wiped the previous drivers' output, and echoes
 * the output, keeping the counts Japa prints at the end. Colours only when
 * this runs in a terminal.
 */
function runJapa(suite, driver, env, japaArgs) {
  return new Promise((resolve) => {
    const args = ['-r', '@adonisjs/assembler/build/register', 'test.ts', suite, ...japaArgs]
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...env, FORCE_COLOR: process.stdout.isTTY ? 'true' : env.FORCE_COLOR },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
      process.stdout.write(chunk)
    })
    child.on('exit', (code) => {
      const plain = output.replace(/\x1b\[[0-9;]*m/g, '')
      const summary = (plain.match(/^Tests\s*:(.*)$/m) || [])[1] || ''
      const count = (label) => Number((summary.match(new RegExp(`(\\d+) ${label}`)) || [])[1] || 0)
      resolve({ suite, driver, code, passed: count('passed'), failed: count('failed') })
    })
  })
}

async function main() {
  const { suites, drivers, japaArgs } = parseArgs(process.argv.slice(2))
  ensureEnvFile()
  mkdirSync(join(root, 'tmp'), { recursive: true })

  const results = []
  const started = Date.now()
  for (const suite of suites) {
    for (const driver of ONCE.includes(suite) ? drivers.slice(0, 1) : drivers) {
      const redis = driver === 'redis' ? await startRedis() : null
      // A database of its own per run, so runs side by side never share one.
      const dbFile = `tmp/test-${driver}-${process.pid}.sqlite3`
      const env = {
        ...process.env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        SESSION_DRIVER: driver,
        DB_FILE: dbFile,
        CACHE_VIEWS: 'true',
        REDIS_HOST: '127.0.0.1',
        REDIS_PORT: String(redis ? redis.port : await freePort()),
        REDIS_PASSWORD: '',
        // The suites post and start sessions far more than a visitor may; the
        // limits themselves are tested against an app process of their own
        // (security/limits.spec).
        POST_RATE_LIMIT: '1000000',
        SESSION_RATE_LIMIT: '1000000',
      }

      const about = ONCE.includes(suite)
        ? 'once'
        : `session driver: ${driver}${redis ? ` (redis-server on port ${redis.port})` : ''}`
      console.log(`\n=== ${suite} suite · ${about} ===\n`)
      const runStarted = Date.now()
      try {
        const label = ONCE.includes(suite) ? 'all' : driver
        const result = await runJapa(suite, label, env, japaArgs)
        results.push({ ...result, seconds: (Date.now() - runStarted) / 1000 })
      } finally {
        if (redis) await redis.stop()
        for (const suffix of ['', '-wal', '-shm'])
          rmSync(join(root, dbFile + suffix), { force: true })
      }
    }
  }

  console.log('\nSummary')
  for (const r of results) {
    const status = r.code === 0 ? 'ok' : 'FAILED'
    console.log(
      `  ${r.suite.padEnd(10)} ${(ONCE.includes(r.suite) ? 'once' : r.driver).padEnd(6)} ${status.padEnd(6)} ${r.passed} passed, ${r.failed} failed (${r.seconds.toFixed(1)} s)`
    )
  }
  const passed = results.reduce((sum, r) => sum + r.passed, 0)
  const failed = results.reduce((sum, r) => sum + r.failed, 0)
  const broken = results.filter((r) => r.code !== 0).length
  console.log(`\nTotal time: ${((Date.now() - started) / 1000).toFixed(1)} s`)
  console.log(`Tests: ${passed} passed, ${failed} failed`)
  process.exit(broken > 0 || failed > 0 || passed === 0 ? 1 : 0)
}

main().catch((error) => {
  console.error(error.message)
  process.exit(1)
})
