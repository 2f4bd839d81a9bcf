/*
|--------------------------------------------------------------------------
| A/B: the app at two commits, side by side
|--------------------------------------------------------------------------
|
| How much a change saves, measured as `npm run bench` measures (autocannon,
| 50 connections, server pinned to one core), with the two builds' rounds
| taken in turn so that the machine's load hits both alike. Prints each
| round's CPU per request and req/s, and the medians with B ÷ A.
|
|   node bench/ab.js [A=HEAD~1] [B=HEAD] [--drivers=cookie,redis]
|        [--scenarios=floor,returning,switch] [--rounds=6] [--duration=5] [--warmup=5]
|
| The app's floor is GET /health.
|
| Each commit is built once into <os tmpdir>/bench-ab-<checkout>/<commit>
| (git archive, then `node ace build --production`), with a link to this
| checkout's node_modules: inside the checkout, TypeScript would pick up the
| checkout's own sources. The snapshot's tsconfig gets `baseUrl: "./"`: the
| preset it extends sets the base two folders above its real path, which is
| the checkout again.
|
*/

const { spawnSync } = require('node:child_process')
const {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} = require('node:fs')
const { basename, join } = require('node:path')
const os = require('node:os')
const { freePort, startRedis } = require('../support/services')
const { SERVER_NODE_OPTIONS } = require('../bin/setup')
const { pinning, pinSelf, ace, appEnv, startProcess, withLog } = require('./processes')
const { ALL_SCENARIOS, prepareScenarios } = require('./scenarios')
const { measure } = require('./measure')

const root = join(__dirname, '..')
const DRIVERS = ['cookie', 'file', 'redis', 'database']

function git(...args) {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
  return result.stdout.trim()
}

/**
 * The production build of a commit, made once.
 */
function buildOf(commit) {
  const dir = join(os.tmpdir(), `bench-ab-${basename(root)}`, commit)
  const buildDir = join(dir, 'build')
  if (existsSync(join(buildDir, 'server.js'))) return buildDir
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const archive = spawnSync('sh', ['-c', `git archive ${commit} | tar -x -C "${dir}"`], {
    cwd: root,
  })
  if (archive.status !== 0) throw new Error(`git archive ${commit} failed`)
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
  const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'))
  tsconfig.compilerOptions.baseUrl = './'
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  console.log(`Building ${commit} ...`)
  const result = spawnSync(process.execPath, ['ace', 'build', '--production'], {
    cwd: dir,
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`build of ${commit} failed:\n${result.stdout}`)
  return buildDir
}

function options(argv) {
  const value = (name, fallback) => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`))
    return arg ? arg.slice(name.length + 3) : fallback
  }
  const [a = 'HEAD~1', b = 'HEAD'] = argv.filter((arg) => !arg.startsWith('--'))
  return {
    commits: [git('rev-parse', '--short', a), git('rev-parse', '--short', b)],
    drivers: value('drivers', 'cookie').split(','),
    scenarios: value('scenarios', 'returning,switch').split(','),
    rounds: Number(value('rounds', 6)),
    duration: Number(value('duration', 5)),
    warmup: Number(value('warmup', 5)),
  }
}

function median(values) {
  const sorted = [...values].sort((x, y) => x - y)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

async function main() {
  const opts = options(process.argv.slice(2))
  for (const driver of opts.drivers) {
    if (!DRIVERS.includes(driver)) throw new Error(`Unknown driver "${driver}"`)
  }
  for (const scenario of opts.scenarios) {
    if (!ALL_SCENARIOS.includes(scenario)) throw new Error(`Unknown scenario "${scenario}"`)
  }
  const builds = opts.commits.map(buildOf)
  const pin = pinning()
  const env = appEnv(`tmp/ab-${process.pid}.sqlite3`)
  for (const buildDir of builds) {
    mkdirSync(join(buildDir, 'tmp'), { recursive: true })
    ace(buildDir, env, ['migration:run', '--force'])
  }

  if (pin) pinSelf(pin.server)
  const redis = opts.drivers.includes('redis') ? await startRedis() : null
  if (pin) pinSelf(pin.load)
  console.log(
    `A = ${opts.commits[0]}, B = ${opts.commits[1]}; ${opts.rounds} rounds of ${opts.duration} s ` +
      `each after a ${opts.warmup} s warm-up, taken in turn; pinning ${pin ? 'on' : 'off'}`
  )

  try {
    for (const driver of opts.drivers) {
      const apps = []
      try {
        const targets = []
        for (const [index, buildDir] of builds.entries()) {
          rmSync(join(buildDir, 'tmp', 'sessions'), { recursive: true, force: true })
          const port = await freePort()
          const app = startProcess(
            `${'AB'[index]} (${driver})`,
            [...SERVER_NODE_OPTIONS, 'server.js'],
            {
              cwd: buildDir,
              env: {
                ...env,
                PORT: String(port),
                SESSION_DRIVER: driver,
                REDIS_PORT: String(redis ? redis.port : await freePort()),
              },
              pin,
            }
          )
          apps.push(app)
          const base = `http://127.0.0.1:${port}`
          await app.waitForHttp(`${base}/health`)
          const { scenarios } = await withLog(
            app,
            prepareScenarios(app.name, base, opts.scenarios, { floorPath: '/health' })
          )
          targets.push({ target: 'AB'[index], driver, pid: app.pid, server: app, base, scenarios })
        }
        for (const scenario of opts.scenarios) {
          const rounds = []
          const perRound = { ...opts, rounds: 1, warmup: 0 }
          await measure(targets, scenario, { ...perRound, duration: opts.warmup })
          for (let round = 0; round < opts.rounds; round++) {
            rounds.push(await measure(targets, scenario, perRound))
          }
          report(driver, scenario, rounds)
        }
      } finally {
        for (const app of apps) await app.stop()
      }
    }
  } finally {
    if (redis) await redis.stop()
    for (const buildDir of builds) rmSync(join(buildDir, env.DB_FILE), { force: true })
  }
}

function report(driver, scenario, rounds) {
  const failed = rounds.flat().filter((c) => c.failed)
  if (failed.length) {
    console.log(`${driver} · ${scenario}: FAILED ${failed.map((c) => c.failed).join('; ')}`)
    process.exitCode = 1
    return
  }
  const of = (index, key) => rounds.map((cases) => cases[index][key])
  const cpu = [0, 1].map((index) => median(of(index, 'cpuUs')))
  const rps = [0, 1].map((index) => median(of(index, 'rps')))
  const alloc = [0, 1].map((index) => median(of(index, 'allocKb')).toFixed(1))
  console.log(
    `${driver} · ${scenario}: CPU per request A ${cpu[0]} µs, B ${cpu[1]} µs ` +
      `(B ÷ A ${(cpu[1] / cpu[0]).toFixed(2)}); req/s A ${rps[0]}, B ${rps[1]}; ` +
      `allocated per request A ${alloc[0]} KB, B ${alloc[1]} KB\n` +
      `  rounds, µs: A ${of(0, 'cpuUs').join(' ')} | B ${of(1, 'cpuUs').join(' ')}`
  )
}

main().catch((error) => {
  console.error(error.message)
  process.exit(1)
})
