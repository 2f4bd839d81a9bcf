/*
|--------------------------------------------------------------------------
| The fleet
|--------------------------------------------------------------------------
|
| Starts, on this machine, what several machines would run: PostgreSQL,
| Redis (Sentinel or Cluster), instances of the production build, and
| HAProxy in front with TLS. `npm run fleet` (bin/fleet.js) and the `fleet`
| test suite both start it through `startFleet`, so the tests exercise what
| users run.
|
*/

const { randomBytes } = require('node:crypto')
const { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs')
const { join } = require('node:path')
const { freePort } = require('../services')
const { poll } = require('./service')
const { build, createInstance, migrate, writeEnvFile } = require('./app')
const { createHaproxy } = require('./haproxy')
const { createPostgres } = require('./postgres')
const { createCluster, createSentinelGroup, redisCli } = require('./redis')

const DRIVERS = ['cookie', 'file', 'redis', 'database']
const REDIS_MODES = ['sentinel', 'cluster']

/**
 * Refuses a folder that a running fleet uses.
 */
function claim(dir) {
  const file = join(dir, 'fleet.json')
  if (existsSync(file)) {
    const { pid } = JSON.parse(readFileSync(file, 'utf8'))
    let alive = false
    try {
      process.kill(pid, 0)
      alive = pid !== process.pid
    } catch {}
    if (alive) {
      throw new Error(`A fleet started by process ${pid} runs in ${dir}: stop it first`)
    }
  }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'logs'), { recursive: true })
}

/**
 * Starts a fleet and resolves once HAProxy sees every instance up.
 *
 * @param {object} options
 * @param {string} options.dir          its folder (data, logs, fleet.json)
 * @param {number} [options.port]       HAProxy's port (a free one by default)
 * @param {number} [options.instances]  app instances (3)
 * @param {string} [options.driver]     SESSION_DRIVER (redis)
 * @param {string} [options.redis]      sentinel or cluster, for the redis driver
 * @param {boolean} [options.build]     build the app first (true)
 * @param {object} [options.postgres]   another fleet's PostgreSQL, to share
 * @param {Function} [options.log]      receives a line per step
 * @param {object} [options.env]        more settings for every instance
 */
async function startFleet(options) {
  const {
    dir,
    instances: count = 3,
    driver = 'redis',
    redis: redisMode = 'sentinel',
    log = () => {},
  } = options
  if (!DRIVERS.includes(driver)) {
    throw new Error(`SESSION_DRIVER must be one of ${DRIVERS.join(', ')}, not "${driver}"`)
  }
  if (!REDIS_MODES.includes(redisMode)) {
    throw new Error(`FLEET_REDIS must be one of ${REDIS_MODES.join(', ')}, not "${redisMode}"`)
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`FLEET_INSTANCES must be a whole number from 1, not "${count}"`)
  }

  claim(dir)
  const ownsPostgres = !options.postgres
  const logDir = join(dir, 'logs')
  const started = []
  const fleet = {
    dir,
    driver,
    redisMode: driver === 'redis' ? redisMode : null,
    postgres: null,
    redis: null,
    instances: [],
    haproxy: null,
    url: null,
    cert: null,
  }

  // The last resort: whatever this process leaves running when it exits is
  // killed with it, a failed test included.
  const killAll = () => started.forEach((service) => service.signalGroup('SIGKILL'))
  process.on('exit', killAll)

  fleet.services = () => [
    ...(ownsPostgres && fleet.postgres ? [fleet.postgres.service] : []),
    ...(fleet.redis ? fleet.redis.services : []),
    ...fleet.instances,
    ...(fleet.haproxy ? [fleet.haproxy.service] : []),
  ]

  fleet.json = () => ({
    url: fleet.url,
    pid: process.pid,
    driver,
    redis: fleet.redisMode,
    cert: fleet.cert,
    processes: fleet.services().map((service) => service.info()),
  })

  fleet.writeJson = () =>
    writeFileSync(join(dir, 'fleet.json'), JSON.stringify(fleet.json(), null, 2) + '\n')

  fleet.instance = (name) => fleet.instances.find((app) => app.name === name)

  /**
   * Takes an instance out of HAProxy's pool, stops it with SIGTERM (it ends
   * its requests in flight), starts it again and puts it back once it
   * answers: a deploy, one instance at a time.
   */
  fleet.restartInstance = async (name) => {
    const app = fleet.instance(name)
    await fleet.haproxy.drain(name)
    await app.stop()
    app.start()
    await app.waitUntilUp()
    await fleet.haproxy.ready(name)
    await fleet.haproxy.waitUntilUp([name])
    fleet.writeJson()
  }

  fleet.rollingRestart = async () => {
    for (const app of fleet.instances) {
      log(`restarting ${app.name}`)
      await fleet.restartInstance(app.name)
    }
  }

  /**
   * Stops everything this fleet started, HAProxy first and PostgreSQL last,
   * and waits for each process to exit.
   */
  fleet.stop = async () => {
    const tiers = [
      fleet.haproxy ? [fleet.haproxy.service] : [],
      fleet.instances,
      fleet.redis && fleet.redis.sentinels ? fleet.redis.sentinels : [],
      fleet.redis
        ? fleet.redis.services.filter((s) => !(fleet.redis.sentinels || []).includes(s))
        : [],
      ownsPostgres && fleet.postgres ? [fleet.postgres.service] : [],
    ]
    for (const tier of tiers) {
      await Promise.all(tier.filter((s) => started.includes(s)).map((s) => s.stop()))
    }
    if (fleet.haproxy) fleet.haproxy.removeSocket()
    if (ownsPostgres && fleet.postgres && fleet.postgres.temporary) {
      rmSync(fleet.postgres.temporary, { recursive: true, force: true })
    }
    process.off('exit', killAll)
    rmSync(join(dir, 'fleet.json'), { force: true })
  }

  const track = (services) => {
    started.push(...services)
    return services
  }

  try {
    const building = options.build === false ? Promise.resolve() : build()
    building.then(
      () => log('built the app (build/)'),
      () => {}
    )

    if (!ownsPostgres) {
      fleet.postgres = options.postgres
    } else {
      log('starting PostgreSQL (initdb, then postgres)')
      fleet.postgres = await createPostgres({
        dir: join(dir, 'postgres'),
        port: await freePort(),
        logDir,
      })
      track([fleet.postgres.service])
      await fleet.postgres.start()
      await fleet.postgres.createDatabase()
    }

    if (driver === 'redis') {
      log(`starting Redis (${redisMode})`)
      const create = redisMode === 'cluster' ? createCluster : createSentinelGroup
      fleet.redis = await create({ dir: join(dir, 'redis'), logDir })
      track(fleet.redis.services)
      await fleet.redis.start()
    }

    await building
    const envFile = join(dir, 'app.env')
    writeEnvFile(envFile, {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      TRUSTED_PROXIES: '127.0.0.1',
      APP_NAME: 'SessionsDemo',
      // One key for every instance: it signs the session id cookie and, with
      // the cookie driver, encrypts the session itself.
      APP_KEY: randomBytes(32).toString('base64url'),
      CACHE_VIEWS: 'true',
      SESSION_DRIVER: driver,
      ...fleet.postgres.env,
      ...(fleet.redis ? fleet.redis.env : {}),
      // A session write waits for both replicas of its primary, and counts
      // once one of them holds it too (providers/SessionDriver/RedisDriver.ts).
      REDIS_WAIT_REPLICAS: '2',
      REDIS_WAIT_MIN_REPLICAS: '1',
      REDIS_WAIT_TIMEOUT_MS: '300',
      ...options.env,
    })
    log('running the migrations')
    await migrate(envFile)

    log(`starting ${count} instance(s) of the app`)
    for (let i = 1; i <= count; i++) {
      const name = `app-${i}`
      fleet.instances.push(
        createInstance({
          name,
          port: await freePort(),
          envFile,
          logDir,
          sessionDir: driver === 'file' ? join(dir, name, 'sessions') : undefined,
        })
      )
    }
    track(fleet.instances)
    for (const app of fleet.instances) app.start()
    await Promise.all(fleet.instances.map((app) => app.waitUntilUp()))

    log('starting HAProxy')
    const port = options.port || (await freePort())
    fleet.haproxy = await createHaproxy({
      dir,
      logDir,
      port,
      instances: fleet.instances,
      sticky: driver === 'file',
    })
    track([fleet.haproxy.service])
    await fleet.haproxy.start()
    fleet.url = `https://127.0.0.1:${port}`
    fleet.cert = fleet.haproxy.cert
    fleet.writeJson()
    return fleet
  } catch (error) {
    await fleet.stop().catch(() => {})
    killAll()
    throw error
  }
}

module.exports = { startFleet, redisCli, poll }
