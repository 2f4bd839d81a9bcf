/*
|--------------------------------------------------------------------------
| One server, one scenario, profiled
|--------------------------------------------------------------------------
|
| The app's production build (or stock AdonisJS's) alone on one driver and
| one scenario, under `node --cpu-prof`, measured as `npm run bench` does;
| prints the case and the profile's summary (bench/profile.js). For finding
| what a case spends without the other servers' profiles in the way.
|
|   node bench/probe.js [--target=app|adonis] [--driver=cookie] [--scenario=floor]
|        [--warmup=4] [--duration=8] [--build=build] [--heap] [-- node options]
|
| --heap: who allocates, per request, instead of the CPU profile (V8's
| sampling heap profiler, freed objects included: bench/heapsamples.js).
|
*/

const { rmSync, mkdtempSync } = require('node:fs')
const { join } = require('node:path')
const os = require('node:os')
const { randomBytes } = require('node:crypto')
const { freePort, startRedis } = require('../support/services')
const { SERVER_NODE_OPTIONS } = require('../bin/setup')
const { pinning, pinSelf, ace, appEnv, startProcess, withLog } = require('./processes')
const { prepareScenarios } = require('./scenarios')
const { measure } = require('./measure')
const { summarise } = require('./profile')
const heapSamples = require('./heapsamples')

const root = join(__dirname, '..')

async function main() {
  const argv = process.argv.slice(2)
  const split = argv.indexOf('--')
  const nodeOptions = split >= 0 ? argv.slice(split + 1) : []
  const args = split >= 0 ? argv.slice(0, split) : argv
  const value = (name, fallback) => {
    const arg = args.find((a) => a.startsWith(`--${name}=`))
    return arg ? arg.slice(name.length + 3) : fallback
  }
  const target = value('target', 'app')
  const driver = value('driver', 'cookie')
  const scenario = value('scenario', 'floor')
  const buildDir = join(root, value('build', 'build'))
  const profileDir = mkdtempSync(join(os.tmpdir(), 'probe-'))
  const pin = pinning()
  if (pin) pinSelf(pin.server)
  const redis = driver === 'redis' ? await startRedis() : null
  if (pin) pinSelf(pin.load)
  const port = await freePort()
  const heap = args.includes('--heap')
  const samplesFile = join(profileDir, 'probe.heapsamples')
  const prof = heap
    ? []
    : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-name=probe.cpuprofile']
  const heapEnv = heap ? { BENCH_HEAP_SAMPLES: samplesFile } : {}
  let server
  if (target === 'app') {
    const env = appEnv(`tmp/probe-${process.pid}.sqlite3`)
    ace(buildDir, env, ['migration:run', '--force'])
    server = startProcess('app', [...SERVER_NODE_OPTIONS, ...prof, ...nodeOptions, 'server.js'], {
      cwd: buildDir,
      env: {
        ...env,
        ...heapEnv,
        PORT: String(port),
        SESSION_DRIVER: driver,
        REDIS_PORT: String(redis ? redis.port : 6379),
      },
      pin,
    })
  } else {
    server = startProcess('adonis', [...prof, ...nodeOptions, 'server.js'], {
      cwd: join(__dirname, 'peers/adonis/build'),
      env: {
        ...process.env,
        ...heapEnv,
        ENV_SILENT: 'true',
        NODE_ENV: 'production',
        CACHE_VIEWS: 'true',
        APP_KEY: randomBytes(32).toString('base64url'),
        APP_NAME: 'probe',
        HOST: '127.0.0.1',
        PORT: String(port),
        SESSION_DRIVER: driver,
        REDIS_HOST: '127.0.0.1',
        REDIS_PORT: String(redis ? redis.port : 6379),
      },
      pin,
    })
  }
  const base = `http://127.0.0.1:${port}`
  let requests = 0
  try {
    await server.waitForHttp(base + '/')
    const setup = await withLog(
      server,
      prepareScenarios(target, base, [scenario], {
        floorPath: target === 'app' ? '/health' : '/floor',
        storesNothing: target === 'app',
      })
    )
    const targets = [{ target, driver, pid: server.pid, server, base, scenarios: setup.scenarios }]
    const options = {
      warmup: Number(value('warmup', 4)),
      rounds: 1,
      duration: Number(value('duration', 8)),
    }
    const [entry] = await measure(targets, scenario, options)
    console.log(JSON.stringify(entry))
    requests = entry.rps * options.duration
  } finally {
    await server.stop()
    if (redis) await redis.stop()
    rmSync(join(buildDir, 'tmp', 'sessions'), { recursive: true, force: true })
  }
  console.log(
    heap
      ? heapSamples.summarise(samplesFile, requests)
      : summarise(join(profileDir, 'probe.cpuprofile'))
  )
}

main().catch((error) => {
  console.error(error.message)
  process.exit(1)
})
