/*
|--------------------------------------------------------------------------
| npm run bench
|--------------------------------------------------------------------------
|
| Throughput and latency of the production app per session driver, side by
| side with an Express peer and bare node:http, on loopback. See
| bench/README.md for the method and the findings. Options:
|
|   --quick            one short round per case (results in bench/results/quick.*)
|   --profile          run the app under `node --cpu-prof` and summarise the profiles
|   --peer-edge-cache  give the Express peer the app's Edge template cache (a control)
|   --drivers=a,b      only these session drivers (default: cookie,file,redis)
|   --scenarios=a,b    only these scenarios (default: returning,new,switch)
|   --rounds=N --duration=S --warmup=S   override the method
|
*/

const os = require('node:os')
const { spawn, spawnSync } = require('node:child_process')
const { mkdirSync, rmSync, writeFileSync, readdirSync, readFileSync } = require('node:fs')
const { join, relative } = require('node:path')
const { randomBytes } = require('node:crypto')
const autocannon = require('autocannon')
const { freePort, hasCommand, startRedis } = require('../support/services')
const { summarise } = require('./profile')
const { writeResults } = require('./report')

const root = join(__dirname, '..')
const buildDir = join(root, 'build')
const resultsDir = join(__dirname, 'results')

const DRIVERS = ['cookie', 'file', 'redis']
const SCENARIOS = ['returning', 'new', 'switch']
const CONNECTIONS = 50
const PIPELINING = 1

function parseArgs(argv) {
  const flag = (name) => argv.includes(`--${name}`)
  const value = (name) => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`))
    return arg ? arg.slice(name.length + 3) : undefined
  }
  const quick = flag('quick')
  const drivers = value('drivers') ? value('drivers').split(',') : DRIVERS
  for (const driver of drivers) {
    if (!DRIVERS.includes(driver)) throw new Error(`Unknown driver "${driver}"`)
  }
  const scenarios = value('scenarios') ? value('scenarios').split(',') : SCENARIOS
  for (const scenario of scenarios) {
    if (!SCENARIOS.includes(scenario)) throw new Error(`Unknown scenario "${scenario}"`)
  }
  return {
    quick,
    scenarios,
    profile: flag('profile'),
    peerEdgeCache: flag('peer-edge-cache'),
    drivers,
    warmup: Number(value('warmup') ?? (quick ? 1 : 5)),
    rounds: Number(value('rounds') ?? (quick ? 1 : 3)),
    duration: Number(value('duration') ?? (quick ? 3 : 10)),
  }
}

/**
 * Servers (and their Redis) on CPU 0, autocannon on CPU 1, so the load
 * generator never steals the server's core.
 */
function pinning() {
  if (!hasCommand('taskset') || os.cpus().length < 2) return null
  return { server: 0, load: 1 }
}

function pinSelf(cpu) {
  spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' })
}

/**
 * A child process, pinned to the server CPU when pinning is on. The last
 * lines of its output are kept to explain a failure.
 */
function startProcess(name, args, { cwd, env, pin }) {
  const command = pin ? 'taskset' : process.execPath
  const fullArgs = pin ? ['-c', String(pin.server), process.execPath, ...args] : args
  const child = spawn(command, fullArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  const keep = (chunk) => {
    log = (log + chunk).slice(-4000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return {
    name,
    child,
    get log() {
      return log
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000)
      await exited
      clearTimeout(timer)
    },
  }
}

async function waitForHttp(server, url, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) break
    try {
      await fetch(url, { redirect: 'manual' })
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new Error(`${server.name} did not start:\n${server.log}`)
}

/**
 * A visitor's cookies, kept the way a browser keeps them.
 */
class Jar {
  constructor() {
    this.cookies = new Map()
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async get(url) {
    const headers = { 'x-forwarded-proto': 'https' }
    if (this.cookies.size) headers.cookie = this.header()
    const response = await fetch(url, { headers, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim())
      const name = pair.slice(0, pair.indexOf('='))
      const expired = attributes.some((a) => /^max-age=(0|-)/i.test(a))
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, pair.slice(name.length + 1))
    }
    return { status: response.status, headers: response.headers, body: await response.text() }
  }
}

function currentLanguage(html) {
  const match = html.match(/id="current-language">([\s\S]*?)<\/p>/)
  return match ? match[1].trim() : null
}

function check(condition, message) {
  if (!condition) throw new Error(message)
}

/**
 * Checks that each scenario really goes through the session, and returns
 * what autocannon must send for it.
 */
async function prepareScenarios(label, base, newVisitorGetsCookie) {
  const returning = new Jar()
  const set = await returning.get(`${base}/language/fr`)
  check(set.status === 302, `${label}: GET /language/fr answered ${set.status}`)
  check(returning.cookies.size > 0, `${label}: GET /language/fr set no cookie`)
  const page = await returning.get(`${base}/`)
  check(page.status === 200, `${label}: GET / answered ${page.status}`)
  check(
    /\(fr\)/.test(currentLanguage(page.body) || ''),
    `${label}: a returning visitor does not get French back: ${currentLanguage(page.body)}`
  )

  const fresh = await new Jar().get(`${base}/`)
  check(fresh.status === 200, `${label}: GET / (new visitor) answered ${fresh.status}`)
  // cookie-session only writes a cookie once something is stored in it.
  check(
    !newVisitorGetsCookie || fresh.headers.getSetCookie().length > 0,
    `${label}: a new visitor got no session cookie`
  )

  const switcher = new Jar()
  await switcher.get(`${base}/language/fr`)
  const switchCookies = switcher.header()
  const switched = await switcher.get(`${base}/language/it`)
  check(switched.status === 302, `${label}: GET /language/it answered ${switched.status}`)
  const after = await switcher.get(`${base}/`)
  check(
    /\(it\)/.test(currentLanguage(after.body) || ''),
    `${label}: switching to Italian did not stick: ${currentLanguage(after.body)}`
  )

  const headers = { 'x-forwarded-proto': 'https' }
  return {
    page: page.body,
    scenarios: {
      returning: {
        expect: '200',
        headers: { ...headers, cookie: returning.header() },
        requests: [{ method: 'GET', path: '/' }],
      },
      new: { expect: '200', headers, requests: [{ method: 'GET', path: '/' }] },
      // Alternates so that every request really changes the language.
      switch: {
        expect: '302',
        headers: { ...headers, cookie: switchCookies },
        requests: [
          { method: 'GET', path: '/language/it' },
          { method: 'GET', path: '/language/fr' },
        ],
      },
    },
  }
}

/**
 * Adds the server's last output to an error, which is where its cause is.
 */
async function withLog(server, promise) {
  try {
    return await promise
  } catch (error) {
    error.message += `\n--- ${server.name} output ---\n${server.log}`
    throw error
  }
}

function load(base, scenario, duration) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: base,
        connections: CONNECTIONS,
        pipelining: PIPELINING,
        duration,
        timeout: 10,
        headers: scenario.headers,
        requests: scenario.requests,
      },
      (error, result) => (error ? reject(error) : resolve(result))
    )
  })
}

/**
 * CPU seconds a process has used (user + system). Per request, it is the
 * figure that holds when other work on the machine skews req/s: the bench
 * shares its cores with whatever else runs.
 */
const TICKS_PER_SECOND =
  Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100

function cpuTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return NaN
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * Responses other than the expected status, errors and timeouts: a case
 * that has any is reported as failed rather than measured.
 */
function problems(result, expect) {
  const found = []
  for (const [code, { count }] of Object.entries(result.statusCodeStats || {})) {
    if (code !== expect) found.push(`${count} × HTTP ${code}`)
  }
  // A server (or the load generator) stalled for the whole round answers
  // nothing and reports no error either: that is no measurement.
  if (!result.requests.total) found.push('no response in a round')
  if (result.errors) found.push(`${result.errors} errors`)
  if (result.timeouts) found.push(`${result.timeouts} timeouts`)
  return found
}

class Progress {
  constructor(total) {
    this.total = total
    this.done = 0
  }

  line(entry, extra = '') {
    this.done++
    const count = `[${String(this.done).padStart(2)}/${this.total}]`
    const name = `${entry.target.padEnd(7)} ${(entry.driver || '-').padEnd(6)} ${(entry.scenario || '-').padEnd(9)}`
    const figures = entry.failed
      ? `FAILED: ${entry.failed}`
      : `${Math.round(entry.rps).toLocaleString('en').padStart(7)} req/s  p50 ${fmt(entry.p50)} ms  p99 ${fmt(entry.p99)} ms  cpu ${String(entry.cpuUs).padStart(4)} µs/req`
    console.log(`${count} ${name} ${figures}${extra}`)
  }
}

function fmt(ms) {
  return (ms < 10 ? ms.toFixed(1) : String(Math.round(ms))).padStart(4)
}

/**
 * Runs the given targets on one scenario: a warm-up each, then the rounds
 * taken in turn, so that a change in the machine's load hits them alike.
 */
async function measure(targets, scenarioName, options) {
  for (const target of targets) {
    await load(target.base, target.scenarios[scenarioName], options.warmup)
  }
  const rounds = targets.map(() => [])
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, target] of targets.entries()) {
      const scenario = target.scenarios[scenarioName]
      const cpuBefore = cpuTime(target.pid)
      const result = await load(target.base, scenario, options.duration)
      const cpu = cpuTime(target.pid) - cpuBefore
      rounds[index].push({
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        cpuUs: result.requests.total ? (cpu * 1e6) / result.requests.total : 0,
        problems: problems(result, scenario.expect),
      })
    }
  }
  return targets.map((target, index) => {
    const failures = rounds[index].flatMap((r) => r.problems)
    return {
      target: target.target,
      driver: target.driver,
      scenario: target.driver ? scenarioName : null,
      rps: Math.round(median(rounds[index].map((r) => r.rps))),
      p50: median(rounds[index].map((r) => r.p50)),
      p99: median(rounds[index].map((r) => r.p99)),
      cpuUs: Math.round(median(rounds[index].map((r) => r.cpuUs))),
      ...(failures.length ? { failed: failures.join(', ') } : {}),
    }
  })
}

function build() {
  console.log('Building the production app (node ace build --production) ...')
  const result = spawnSync(process.execPath, ['ace', 'build', '--production'], {
    cwd: root,
    encoding: 'utf8',
  })
  if (result.status !== 0) {
    throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`)
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
    loadAverage: os.loadavg().map((n) => Number(n.toFixed(2))),
    quick: options.quick,
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
  const pin = pinning()
  const caseCount = options.drivers.length * options.scenarios.length * 2 + 1
  const info = machine(pin, options)

  console.log(
    `Method: autocannon, ${CONNECTIONS} connections, pipelining ${PIPELINING}, warm-up ${options.warmup} s, ` +
      `${options.rounds} round(s) of ${options.duration} s per case, median reported`
  )
  console.log(
    pin
      ? `Pinning (taskset): servers and Redis on cpu ${pin.server}, load (autocannon) on cpu ${pin.load}`
      : 'Pinning: off (taskset missing or a single CPU): servers and load share the CPUs'
  )
  console.log(`Load average at start: ${info.loadAverage.join(' ')}`)

  build()

  const tmp = join(buildDir, 'tmp')
  mkdirSync(tmp, { recursive: true })
  const runId = `bench-${process.pid}`
  const dbFile = `tmp/${runId}.sqlite3`
  const peerSessions = join(tmp, `${runId}-peer-sessions`)
  const appEnv = {
    ...process.env,
    NODE_ENV: 'production',
    CACHE_VIEWS: 'true',
    APP_KEY: randomBytes(32).toString('base64url'),
    APP_NAME: 'SessionsDemoBench',
    HOST: '127.0.0.1',
    DB_FILE: dbFile,
    REDIS_HOST: '127.0.0.1',
    REDIS_PASSWORD: '',
  }

  const migrate = spawnSync(process.execPath, ['ace', 'migration:run', '--force'], {
    cwd: buildDir,
    env: { ...appEnv, PORT: '0' },
    encoding: 'utf8',
  })
  if (migrate.status !== 0)
    throw new Error(`migrations failed:\n${migrate.stdout}${migrate.stderr}`)

  // The peer builds its links from the app's own route list.
  const routesFile = join(tmp, `${runId}-routes.json`)
  const routes = spawnSync(process.execPath, ['ace', 'list:routes', '--json'], {
    cwd: buildDir,
    env: { ...appEnv, PORT: '0' },
    encoding: 'utf8',
  })
  if (routes.status !== 0) throw new Error(`list:routes failed:\n${routes.stdout}${routes.stderr}`)
  writeFileSync(routesFile, routes.stdout.slice(routes.stdout.indexOf('{')))

  // Redis inherits the server CPU; this process then moves to the load CPU.
  if (pin) pinSelf(pin.server)
  const redis = options.drivers.includes('redis') ? await startRedis() : null
  if (pin) pinSelf(pin.load)
  if (redis) console.log(`redis-server on port ${redis.port}`)

  const progress = new Progress(caseCount)
  const cases = []
  const profiles = []
  let homePage = null
  const running = []

  try {
    for (const driver of options.drivers) {
      const appPort = await freePort()
      const peerPort = await freePort()
      const env = {
        ...appEnv,
        PORT: String(appPort),
        SESSION_DRIVER: driver,
        REDIS_PORT: String(redis ? redis.port : await freePort()),
      }
      rmSync(join(tmp, 'sessions'), { recursive: true, force: true })

      const profileName = `app-${driver}.cpuprofile`
      const nodeFlags = options.profile
        ? ['--cpu-prof', `--cpu-prof-dir=${resultsDir}`, `--cpu-prof-name=${profileName}`]
        : []
      const app = startProcess(`app (${driver})`, [...nodeFlags, 'server.js'], {
        cwd: buildDir,
        env,
        pin,
      })
      running.push(app)
      const peer = startProcess(`express (${driver})`, [join(__dirname, 'peers/express.js')], {
        cwd: root,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          PORT: String(peerPort),
          DRIVER: driver,
          REDIS_PORT: env.REDIS_PORT,
          SESSION_DIR: peerSessions,
          ROUTES_FILE: routesFile,
          ...(options.peerEdgeCache ? { EDGE_CACHE: '1' } : {}),
        },
        pin,
      })
      running.push(peer)

      const appBase = `http://127.0.0.1:${appPort}`
      const peerBase = `http://127.0.0.1:${peerPort}`
      await waitForHttp(app, `${appBase}/health`)
      await waitForHttp(peer, `${peerBase}/`)

      const appSetup = await withLog(app, prepareScenarios(`app (${driver})`, appBase, true))
      const peerSetup = await withLog(
        peer,
        prepareScenarios(`express (${driver})`, peerBase, driver !== 'cookie')
      )
      if (appSetup.page !== peerSetup.page) {
        console.log(`  ! the express peer's page differs from the app's (${driver})`)
      }
      homePage = homePage || appSetup.page

      const targets = [
        { target: 'app', driver, pid: app.child.pid, base: appBase, scenarios: appSetup.scenarios },
        {
          target: 'express',
          driver,
          pid: peer.child.pid,
          base: peerBase,
          scenarios: peerSetup.scenarios,
        },
      ]
      for (const scenario of options.scenarios) {
        const [appCase, peerCase] = await measure(targets, scenario, options)
        const ratio =
          appCase.failed || peerCase.failed
            ? ''
            : `  ×${(appCase.rps / peerCase.rps).toFixed(2)} express`
        progress.line(appCase, ratio)
        progress.line(peerCase)
        cases.push(appCase, peerCase)
      }

      await app.stop()
      await peer.stop()
      if (options.profile) profiles.push(join(resultsDir, profileName))
    }

    const bodyFile = join(tmp, `${runId}-home.html`)
    writeFileSync(bodyFile, homePage)
    const nodePort = await freePort()
    const bare = startProcess('node:http', [join(__dirname, 'peers/node.js')], {
      cwd: root,
      env: { ...process.env, PORT: String(nodePort), BODY_FILE: bodyFile },
      pin,
    })
    running.push(bare)
    const nodeBase = `http://127.0.0.1:${nodePort}`
    await waitForHttp(bare, nodeBase)
    const nodeTarget = {
      target: 'node',
      driver: null,
      pid: bare.child.pid,
      base: nodeBase,
      scenarios: {
        page: { expect: '200', headers: {}, requests: [{ method: 'GET', path: '/' }] },
      },
    }
    const [nodeCase] = await measure([nodeTarget], 'page', options)
    progress.line(nodeCase)
    cases.unshift(nodeCase)
    await bare.stop()
  } finally {
    for (const server of running) await server.stop()
    if (redis) await redis.stop()
    for (const suffix of [
      '.sqlite3',
      '.sqlite3-wal',
      '.sqlite3-shm',
      '-home.html',
      '-routes.json',
    ]) {
      rmSync(join(tmp, runId + suffix), { force: true })
    }
    rmSync(peerSessions, { recursive: true, force: true })
    rmSync(join(tmp, 'sessions'), { recursive: true, force: true })
  }

  info.loadAverageAtEnd = os.loadavg().map((n) => Number(n.toFixed(2)))
  const method = {
    tool: 'autocannon',
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    warmupSeconds: options.warmup,
    rounds: options.rounds,
    roundSeconds: options.duration,
    statistic: 'median of rounds',
    peer: options.peerEdgeCache
      ? "edge.js with the app's template cache (--peer-edge-cache)"
      : 'stock edge.js',
  }
  const name = options.quick ? 'quick' : options.peerEdgeCache ? 'peer-edge-cache' : 'latest'
  const { table, files } = await writeResults(resultsDir, name, { machine: info, method, cases })
  console.log(`\n${table}`)
  console.log(`Load average at end: ${info.loadAverageAtEnd.join(' ')}`)
  console.log(`Written: ${files.map((file) => relative(root, file)).join(', ')}`)

  for (const file of profiles) {
    if (readdirSync(resultsDir).includes(file.split('/').pop())) {
      console.log(`\nProfile ${relative(root, file)}:`)
      console.log(summarise(file))
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
