/*
|--------------------------------------------------------------------------
| npm run fleet
|--------------------------------------------------------------------------
|
| Builds the app and starts a fleet on this machine (support/fleet/index.js):
| PostgreSQL, Redis with Sentinel (or a Cluster), three instances and
| HAProxy with TLS in front. Prints what runs where, writes the same to
| tmp/fleet/fleet.json, and stops everything on Ctrl-C or SIGTERM. SIGHUP
| restarts the instances one by one.
|
|   FLEET_PORT=8443         HAProxy's port (default: a free one)
|   FLEET_INSTANCES=3       app instances
|   SESSION_DRIVER=redis    cookie | file | redis | database
|   FLEET_REDIS=sentinel    sentinel | cluster (redis driver)
|
*/

const { join } = require('node:path')
const { root } = require('./setup')
const { startFleet } = require('../support/fleet/index')

function options() {
  const number = (name, fallback) => {
    const value = process.env[name]
    if (value === undefined || value === '') return fallback
    if (!/^\d+$/.test(value)) throw new Error(`${name} must be a number, not "${value}"`)
    return Number(value)
  }
  return {
    dir: join(root, 'tmp', 'fleet'),
    port: number('FLEET_PORT'),
    instances: number('FLEET_INSTANCES', 3),
    driver: process.env.SESSION_DRIVER || 'redis',
    redis: process.env.FLEET_REDIS || 'sentinel',
    log: (line) => console.log(`· ${line}`),
  }
}

function printFleet(fleet) {
  const rows = fleet.json().processes
  const width = Math.max(...rows.map((row) => row.name.length))
  const roleWidth = Math.max(...rows.map((row) => row.role.length))
  console.log('')
  for (const row of rows) {
    console.log(
      `  ${row.name.padEnd(width)}  ${row.role.padEnd(roleWidth)}  127.0.0.1:${row.port}  pid ${row.pid}`
    )
  }
  console.log(`
Session driver: ${fleet.driver}${fleet.redisMode ? ` (Redis ${fleet.redisMode})` : ''}
Open ${fleet.url}/ (a certificate made for this fleet: ${fleet.cert};
your browser asks once whether to trust it)
Logs: ${join(fleet.dir, 'logs')}   Processes: ${join(fleet.dir, 'fleet.json')}
Ctrl-C stops everything; kill -HUP ${process.pid} restarts the instances one by one.
`)
}

async function main() {
  const fleet = await startFleet(options())
  printFleet(fleet)

  let stopping = false
  const stop = async (signal) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping the fleet…`)
    await fleet.stop()
    console.log('Stopped.')
    process.exit(0)
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))

  let restarting = false
  process.on('SIGHUP', async () => {
    if (restarting || stopping) return
    restarting = true
    try {
      await fleet.rollingRestart()
      fleet.writeJson()
      console.log('Rolling restart done.')
      printFleet(fleet)
    } catch (error) {
      console.error(`Rolling restart failed: ${error.message}`)
    } finally {
      restarting = false
    }
  })
}

main().catch((error) => {
  console.error(error.message)
  process.exit(1)
})
