/*
|--------------------------------------------------------------------------
| npm run bench
|--------------------------------------------------------------------------
|
| Throughput, latency, CPU, allocation and memory of the production app per
| session driver, side by side with stock AdonisJS, a Fastify and an Express
| peer and bare node:http, on loopback; then each case's latency at a fixed
| offered rate. See bench/README.md for the method and the findings. Options:
|
|   --quick            one short round per case (results in bench/results/quick.*)
|   --profile          run the servers under `node --cpu-prof` and summarise the app's profiles
|   --stock-edge       peers with stock edge.js instead of the app's template cache
|   --drivers=a,b      only these session drivers (default: all)
|   --scenarios=a,b    only these scenarios (default: floor,returning,new,switch; also switch-one)
|   --rounds=N --duration=S --warmup=S --fixed=S --fixed-windows=N   override the method
|
*/

const os = require('node:os')
const { spawnSync } = require('node:child_process')
const { existsSync, mkdirSync, rmSync, writeFileSync } = require('node:fs')
const { join, relative } = require('node:path')
const { freePort, startRedis } = require('../support/services')
const { SERVER_NODE_OPTIONS } = require('../bin/setup')
const { randomBytes } = require('node:crypto')
const { pinning, pinSelf, build, ace, appEnv, startProcess, withLog } = require('./processes')
const { SCENARIOS, ALL_SCENARIOS, PAGE, prepareScenarios } = require('./scenarios')
const { CONNECTIONS, PIPELINING, measure, cpuTicks, stealPercent } = require('./measure')
const { writeResults, Progress } = require('./report')
const { summarise } = require('./profile')

const root = join(__dirname, '..')
const buildDir = join(root, 'build')
const resultsDir = join(__dirname, 'results')
const adonisDir = join(__dirname, 'peers', 'adonis')

/**
 * The app's session drivers; every peer has a store for each, and so does
 * the run, given the app's migrated SQLite file and a redis-server.
 */
const DRIVERS = ['cookie', 'file', 'redis', 'database']

/**
 * The peers measured beside the app, in this order, and the drivers each
 * has: bench/peers/<name>.js, and stock AdonisJS (bench/peers/adonis, built
 * with ace), whose @adonisjs/session 6 has no database driver.
 */
const PEERS = ['adonis', 'fastify', 'express']
const PEER_DRIVERS = { adonis: ['cookie', 'file', 'redis'] }

/**
 * The floor scenario's route on each server that has one, measured with the
 * first driver of the run (cookie by default). The app has no route that
 * does nothing: its /health answers a JSON status after asking the session
 * store, which with the cookie driver is no I/O. Express has no floor.
 */
const FLOOR = { app: '/health', adonis: '/floor', fastify: '/floor' }

function parseArgs(argv) {
  const flag = (name) => argv.includes(`--${name}`)
  const value = (name) => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`))
    return arg ? arg.slice(name.length + 3) : undefined
  }
  const list = (name, all, known = all) => {
    const chosen = value(name) ? value(name).split(',') : all
    for (const item of chosen) {
      if (!known.includes(item)) throw new Error(`Unknown ${name.slice(0, -1)} "${item}"`)
    }
    return chosen
  }
  const quick = flag('quick')
  return {
    quick,
    drivers: list('drivers', DRIVERS),
    scenarios: list('scenarios', SCENARIOS, ALL_SCENARIOS),
    profile: flag('profile'),
    stockEdge: flag('stock-edge'),
    warmup: Number(value('warmup') ?? (quick ? 1 : 3)),
    rounds: Number(value('rounds') ?? (quick ? 1 : 3)),
    duration: Number(value('duration') ?? (quick ? 3 : 8)),
    fixedDuration: Number(value('fixed') ?? (quick ? 3 : 6)),
    fixedWindows: Number(value('fixed-windows') ?? (quick ? 1 : 3)),
  }
}

function machine(pin, options) {
  const cpus = os.cpus()
  const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout || ''
  return {
    cpu: cpus[0] ? cpus[0].model : 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    date: new Date().toISOString(),
    // BENCH_COMMIT names a tree that is not a git checkout (a snapshot).
    commit: process.env.BENCH_COMMIT || git('rev-parse', '--short', 'HEAD').trim() || null,
    uncommittedChanges: git('status', '--porcelain', '--untracked-files=no').trim() !== '',
    pinned: pin ? { server: `cpu ${pin.server}`, load: `cpu ${pin.load}` } : null,
    loadAverage: loadAverage(),
    quick: options.quick,
  }
}

function loadAverage() {
  return os.loadavg().map((n) => Number(n.toFixed(2)))
}

/**
 * The build's environment, its migrated SQLite file, and the app's routes
 * for the peers' links. What the run writes is in build/tmp/bench-<pid>
 * (and the app's file sessions in build/tmp/sessions), removed by `cleanUp`.
 */
function prepare() {
  const runId = `bench-${process.pid}`
  const dir = join(buildDir, 'tmp', runId)
  mkdirSync(dir, { recursive: true })
  const env = appEnv(`tmp/${runId}/app.sqlite3`)
  ace(buildDir, env, ['migration:run', '--force'])
  const routes = ace(buildDir, env, ['list:routes', '--json'])
  const routesFile = join(dir, 'routes.json')
  writeFileSync(routesFile, routes.slice(routes.indexOf('{')))
  return {
    dir,
    env,
    routesFile,
    cleanUp() {
      rmSync(dir, { recursive: true, force: true })
      rmSync(join(buildDir, 'tmp', 'sessions'), { recursive: true, force: true })
    },
  }
}

/**
 * The app and every peer on one driver: started, checked, measured
 * scenario by scenario, stopped. Returns the cases and the app's page.
 */
async function benchDriver(driver, { run, redis, pin, options, progress }) {
  const redisPort = String(redis ? redis.port : await freePort())
  const servers = []
  try {
    rmSync(join(buildDir, 'tmp', 'sessions'), { recursive: true, force: true })
    const appPort = await freePort()
    // bench/results/<target>-<driver>.cpuprofile, written when the server stops.
    const profile = (target) =>
      options.profile
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${resultsDir}`,
            `--cpu-prof-name=${target}-${driver}.cpuprofile`,
          ]
        : []
    const app = startProcess(
      `app (${driver})`,
      [...SERVER_NODE_OPTIONS, ...profile('app'), 'server.js'],
      {
        cwd: buildDir,
        env: { ...run.env, PORT: String(appPort), SESSION_DRIVER: driver, REDIS_PORT: redisPort },
        pin,
      }
    )
    servers.push({
      target: 'app',
      process: app,
      base: `http://127.0.0.1:${appPort}`,
      ready: '/health',
    })
    for (const peer of PEERS) {
      if (PEER_DRIVERS[peer] && !PEER_DRIVERS[peer].includes(driver)) continue
      const port = await freePort()
      if (peer === 'adonis') {
        const server = startAdonis(driver, port, redisPort, profile('adonis'), {
          run,
          pin,
          options,
        })
        servers.push({
          target: peer,
          process: server,
          base: `http://127.0.0.1:${port}`,
          ready: '/',
        })
        continue
      }
      const script = join(__dirname, `peers/${peer}.js`)
      const server = startProcess(`${peer} (${driver})`, [...profile(peer), script], {
        cwd: root,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          PORT: String(port),
          DRIVER: driver,
          REDIS_PORT: redisPort,
          SESSION_DIR: join(run.dir, peer, 'sessions'),
          SESSION_DB: join(run.dir, peer, 'sessions.sqlite3'),
          ROUTES_FILE: run.routesFile,
          ...(options.stockEdge ? { STOCK_EDGE: '1' } : {}),
        },
        pin,
      })
      servers.push({ target: peer, process: server, base: `http://127.0.0.1:${port}`, ready: '/' })
    }

    const withFloor = driver === options.drivers[0]
    const targets = []
    let appPage = null
    for (const server of servers) {
      const label = server.process.name
      await server.process.waitForHttp(server.base + server.ready)
      const setup = await withLog(
        server.process,
        prepareScenarios(label, server.base, options.scenarios, {
          floorPath: withFloor ? FLOOR[server.target] : null,
          storesNothing: server.target !== 'adonis',
        })
      )
      appPage = appPage || setup.page
      if (setup.page !== appPage) console.log(`  ! the ${label} page differs from the app's`)
      targets.push({
        target: server.target,
        driver,
        pid: server.process.pid,
        server: server.process,
        base: server.base,
        scenarios: setup.scenarios,
      })
    }

    const cases = []
    for (const scenario of options.scenarios) {
      const measuring = targets.filter((target) => target.scenarios[scenario])
      if (!measuring.length) continue
      const measured = await measure(measuring, scenario, { ...options, fixedRate: halfOfFastify })
      // The floor does not depend on the session driver.
      if (scenario === 'floor') for (const entry of measured) entry.driver = null
      for (const entry of measured) progress.line(entry, measured)
      cases.push(...measured)
    }
    return { cases, page: appPage }
  } finally {
    for (const server of servers) await server.process.stop()
  }
}

/**
 * The fixed offered rate of a case: half of what the Fastify peer served
 * in it, flat out.
 */
function halfOfFastify(cases) {
  const fastify = cases.find((c) => c.target === 'fastify' && !c.failed)
  return fastify ? fastify.rps / 2 : 0
}

/**
 * Stock AdonisJS (bench/peers/adonis/build) for `driver`, with the app's
 * Edge template cache lent as to the other peers (bench/peers/edge-cache.js)
 * unless --stock-edge.
 */
function startAdonis(driver, port, redisPort, profile, { run, pin, options }) {
  const cwd = join(adonisDir, 'build')
  rmSync(join(cwd, 'tmp'), { recursive: true, force: true })
  const edgeCache = options.stockEdge ? [] : ['-r', join(__dirname, 'peers/edge-cache.js')]
  return startProcess(`adonis (${driver})`, [...profile, ...edgeCache, 'server.js'], {
    cwd,
    env: {
      ...process.env,
      ENV_SILENT: 'true',
      NODE_ENV: 'production',
      CACHE_VIEWS: 'true',
      APP_KEY: randomBytes(32).toString('base64url'),
      APP_NAME: 'bench-peer-adonis',
      HOST: '127.0.0.1',
      PORT: String(port),
      SESSION_DRIVER: driver,
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: redisPort,
      ROUTES_FILE: run.routesFile,
    },
    pin,
  })
}

/**
 * Bare node:http serving the app's page (the ceiling) and "ok" (the floor),
 * each also at half of the Fastify peer's rate for the same page
 * (the first driver's returning visitor) or floor.
 */
async function benchNode(page, cases, { run, pin, options, progress }) {
  const bodyFile = join(run.dir, 'home.html')
  writeFileSync(bodyFile, page)
  const port = await freePort()
  const bare = startProcess('node:http', [join(__dirname, 'peers/node.js')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), BODY_FILE: bodyFile },
    pin,
  })
  try {
    const base = `http://127.0.0.1:${port}`
    await bare.waitForHttp(base)
    const target = {
      target: 'node',
      driver: null,
      pid: bare.pid,
      server: bare,
      base,
      scenarios: PAGE,
    }
    const rateOf = (driver, scenario) =>
      halfOfFastify(cases.filter((c) => c.driver === driver && c.scenario === scenario))
    const entries = []
    for (const [scenario, driver] of [
      ['page', options.drivers[0]],
      ['floor', null],
    ]) {
      if (scenario === 'floor' && !options.scenarios.includes('floor')) continue
      const fixedRate = rateOf(driver, scenario === 'page' ? 'returning' : 'floor')
      const [entry] = await measure([target], scenario, { ...options, fixedRate })
      progress.line(entry)
      entries.push(entry)
    }
    return entries
  } finally {
    await bare.stop()
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
  const pin = pinning()
  const info = machine(pin, options)
  console.log(
    `Method: autocannon, ${CONNECTIONS} connections, pipelining ${PIPELINING}, warm-up ${options.warmup} s, ` +
      `${options.rounds} round(s) of ${options.duration} s per case, median reported; ` +
      `then ${options.fixedWindows} × ${options.fixedDuration} s at half of Fastify's req/s ` +
      `(open loop, median of the windows' p99); ` +
      `peers with ${options.stockEdge ? 'stock edge.js' : "the app's Edge template cache"}; ` +
      `the app runs with ${SERVER_NODE_OPTIONS.join(' ')} (bin/setup.js), the peers with Node's defaults`
  )
  console.log(
    pin
      ? `Pinning (taskset): servers and Redis on cpu ${pin.server}, load (autocannon) on cpu ${pin.load}`
      : 'Pinning: off (taskset missing or a single CPU): servers and load share the CPUs'
  )
  console.log(`Load average at start: ${info.loadAverage.join(' ')}`)
  const ticksAtStart = cpuTicks()

  build(root)
  build(adonisDir, 'stock AdonisJS (bench/peers/adonis)')
  const run = prepare()
  // Redis inherits the server CPU; this process then moves to the load CPU.
  if (pin) pinSelf(pin.server)
  const redis = options.drivers.includes('redis') ? await startRedis() : null
  if (pin) pinSelf(pin.load)
  if (redis) console.log(`redis-server on port ${redis.port}`)

  const peersOf = (driver) =>
    PEERS.filter((peer) => !PEER_DRIVERS[peer] || PEER_DRIVERS[peer].includes(driver)).length
  const perDriver = options.scenarios.filter((s) => s !== 'floor').length
  const hasFloor = options.scenarios.includes('floor')
  const progress = new Progress(
    options.drivers.reduce((sum, driver) => sum + perDriver * (1 + peersOf(driver)), 0) +
      (hasFloor ? Object.keys(FLOOR).length + 1 : 0) +
      1
  )
  const context = { run, redis, pin, options, progress }
  const cases = []
  try {
    let page = null
    for (const driver of options.drivers) {
      const result = await benchDriver(driver, context)
      cases.push(...result.cases)
      page = page || result.page
    }
    cases.unshift(...(await benchNode(page, cases, context)))
  } finally {
    if (redis) await redis.stop()
    run.cleanUp()
  }

  info.loadAverageAtEnd = loadAverage()
  info.stealPercent = stealPercent(ticksAtStart, cpuTicks())
  const method = {
    tool: 'autocannon',
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    warmupSeconds: options.warmup,
    rounds: options.rounds,
    roundSeconds: options.duration,
    statistic: 'median of rounds',
    fixedRate: "half of the Fastify peer's req/s in the same case, open loop (bench/openloop.js)",
    fixedSeconds: options.fixedDuration,
    fixedWindows: options.fixedWindows,
    allocation: 'bytes allocated on the V8 heap per request (bench/alloc.js, v8.GCProfiler)',
    peers: PEERS,
    appNodeOptions: SERVER_NODE_OPTIONS.join(' '),
    peerEdge: options.stockEdge ? 'stock edge.js' : "the app's Edge template cache",
  }
  const name = options.quick ? 'quick' : options.stockEdge ? 'stock-edge' : 'latest'
  const { table, files } = await writeResults(resultsDir, name, { machine: info, method, cases })
  console.log(`\n${table}`)
  console.log(`Written: ${files.map((file) => relative(root, file)).join(', ')}`)

  if (options.profile) {
    for (const driver of options.drivers) {
      const file = join(resultsDir, `app-${driver}.cpuprofile`)
      if (existsSync(file)) console.log(`\nProfile ${relative(root, file)}:\n${summarise(file)}`)
    }
  }

  const failed = cases.filter((c) => c.failed)
  if (failed.length) {
    console.error(`\n${failed.length} case(s) failed; see the lines marked FAILED above.`)
    process.exitCode = 1
  }
}

main().catch((error) => {
  console.error(error.message)
  process.exit(1)
})
