/*
|--------------------------------------------------------------------------
| npm run fleet:load
|--------------------------------------------------------------------------
|
| The fleet (support/fleet) under load through HAProxy, with 1, 2 and 3
| instances in the pool: requests per second, p99 latency and the CPU each
| part used, for docs/capacity.md. One fleet is started with the most
| instances asked for; the others are put in maintenance through HAProxy's
| runtime API for the smaller counts. Loopback only, a few seconds per count.
| Writes bench/results/fleet-load.json and .md (fleet-load-<driver>.* for a
| driver other than redis).
|
|   --driver=redis          cookie | file | redis | database
|   --counts=1,2,3          instance counts to measure
|   --duration=5            seconds of load per count (after 2 s of warm-up)
|   --connections=32        autocannon's concurrent connections
|
*/

const https = require('node:https')
const os = require('node:os')
const { readdirSync, readFileSync, writeFileSync } = require('node:fs')
const { join } = require('node:path')
const { spawnSync } = require('node:child_process')
const autocannon = require('autocannon')
const { root } = require('./setup')
const { startFleet } = require('../support/fleet/index')

const RESULTS = join(root, 'bench', 'results')
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100

function options(argv) {
  const value = (name, fallback) => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`))
    return arg ? arg.slice(name.length + 3) : fallback
  }
  const counts = value('counts', '1,2,3').split(',').map(Number)
  const duration = Number(value('duration', 5))
  const connections = Number(value('connections', 32))
  if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 8)) {
    throw new Error('--counts takes whole numbers from 1 to 8, e.g. --counts=1,2,3')
  }
  if (!(duration > 0 && duration <= 30) || !(connections > 0 && connections <= 200)) {
    throw new Error('--duration is 1 to 30 seconds, --connections 1 to 200')
  }
  return { driver: value('driver', 'redis'), counts, duration, connections }
}

/**
 * CPU seconds (user + system) used by a service's processes, from /proc:
 * those of its process group (each service runs in a group of its own) and
 * its children, for PostgreSQL's backends (one per connection, each in a
 * session of its own).
 */
function groupCpuSeconds(pgid) {
  let total = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(fields[2]) === pgid || Number(fields[1]) === pgid)
        total += Number(fields[11]) + Number(fields[12])
    } catch {
      // The process ended meanwhile.
    }
  }
  return total / TICKS
}

/**
 * CPU seconds by part of the fleet (the instances together, HAProxy,
 * Redis, PostgreSQL) and of this process, which runs the load generator.
 */
function cpuByPart(fleet) {
  const parts = { instances: 0, haproxy: 0, redis: 0, postgres: 0 }
  for (const service of fleet.services()) {
    const part = fleet.instances.includes(service)
      ? 'instances'
      : service === fleet.haproxy.service
        ? 'haproxy'
        : service.name.startsWith('postgres')
          ? 'postgres'
          : 'redis'
    parts[part] += groupCpuSeconds(service.pid)
  }
  const own = process.cpuUsage()
  parts.loader = (own.user + own.system) / 1e6
  return parts
}

/**
 * A returning visitor's cookies: one who chose French.
 */
function returningCookies(fleet) {
  const ca = readFileSync(fleet.cert)
  return new Promise((resolve, reject) => {
    https
      .get(`${fleet.url}/language/fr`, { ca }, (response) => {
        response.resume()
        const cookies = (response.headers['set-cookie'] || []).map((c) => c.split(';')[0])
        if (response.statusCode !== 302 || !cookies.length) {
          reject(new Error(`/language/fr answered ${response.statusCode} without a cookie`))
        }
        resolve(cookies.join('; '))
      })
      .on('error', reject)
  })
}

function load(url, cookie, duration, connections) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, duration, connections, timeout: 10, headers: { cookie, accept: 'text/html' } },
      (error, result) => (error ? reject(error) : resolve(result))
    )
  })
}

async function measureCount(fleet, count, cookie, opts) {
  for (const [i, app] of fleet.instances.entries()) {
    await fleet.haproxy.command(`set server app/${app.name} state ${i < count ? 'ready' : 'maint'}`)
  }
  await fleet.haproxy.waitUntilUp(fleet.instances.slice(0, count).map((app) => app.name))
  await load(`${fleet.url}/`, cookie, 2, opts.connections)

  const before = cpuByPart(fleet)
  const started = process.hrtime.bigint()
  const result = await load(`${fleet.url}/`, cookie, opts.duration, opts.connections)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const after = cpuByPart(fleet)

  const requests = result.requests.total
  const cpu = Object.fromEntries(
    Object.keys(after).map((part) => [part, +(after[part] - before[part]).toFixed(2)])
  )
  const fleetCpu = cpu.instances + cpu.haproxy + cpu.redis + cpu.postgres
  return {
    instances: count,
    requests,
    reqPerSecond: Math.round(requests / seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuSeconds: cpu,
    cpuCoresBusy: +((fleetCpu + cpu.loader) / seconds).toFixed(2),
    bytesPerResponse: Math.round(result.throughput.total / requests),
    instanceCpuUsPerRequest: Math.round((cpu.instances / requests) * 1e6),
    fleetCpuUsPerRequest: Math.round((fleetCpu / requests) * 1e6),
  }
}

function markdown(report) {
  const rows = report.runs.map(
    (run) =>
      `| ${run.instances} | ${run.reqPerSecond} | ${run.p50Ms} | ${run.p99Ms} | ` +
      `${run.non2xx + run.errors} | ${run.cpuSeconds.instances} | ${run.cpuSeconds.haproxy} | ` +
      `${run.cpuSeconds.redis} | ${run.cpuSeconds.postgres} | ${run.cpuSeconds.loader} | ` +
      `${run.cpuCoresBusy} | ` +
      `${run.instanceCpuUsPerRequest} | ${run.fleetCpuUsPerRequest} | ${run.bytesPerResponse} |`
  )
  return `# Fleet load (npm run fleet:load)

${report.date} · ${report.cpus} CPU(s) (${report.cpuModel}) · session driver: ${report.driver} ·
\`GET /\` as a returning visitor (French) through HAProxy (TLS), ${report.connections} connections,
${report.duration} s per count after 2 s of warm-up. The load generator (autocannon) runs on the same
machine, in this process: its CPU is the \`loader\` column.

| instances | req/s | p50 ms | p99 ms | failed | CPU s: instances | HAProxy | Redis | PostgreSQL | loader | cores busy | instance µs/req | fleet µs/req | bytes/response |
| --------: | ----: | -----: | -----: | -----: | ---------------: | ------: | ----: | ---------: | -----: | ---------: | --------------: | -----------: | -------------: |
${rows.join('\n')}

Command: \`${report.command}\`
`
}

async function main() {
  const opts = options(process.argv.slice(2))
  const fleet = await startFleet({
    dir: join(root, 'tmp', 'fleet-load'),
    instances: Math.max(...opts.counts),
    driver: opts.driver,
    log: (line) => console.log(`· ${line}`),
  })
  try {
    const cookie = await returningCookies(fleet)
    const runs = []
    for (const count of opts.counts) {
      const run = await measureCount(fleet, count, cookie, opts)
      console.log(
        `${count} instance(s): ${run.reqPerSecond} req/s, p99 ${run.p99Ms} ms, ` +
          `${run.cpuCoresBusy} cores busy, ${run.non2xx + run.errors} failed`
      )
      runs.push(run)
    }
    const report = {
      date: new Date().toISOString(),
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      driver: opts.driver,
      duration: opts.duration,
      connections: opts.connections,
      command: [
        'npm run fleet:load',
        ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
      ].join(' '),
      runs,
    }
    // The fleet's default driver (redis) in fleet-load.*, any other beside it.
    const name = opts.driver === 'redis' ? 'fleet-load' : `fleet-load-${opts.driver}`
    writeFileSync(join(RESULTS, `${name}.json`), JSON.stringify(report, null, 2) + '\n')
    writeFileSync(join(RESULTS, `${name}.md`), markdown(report))
    console.log(`Wrote bench/results/${name}.json and ${name}.md`)
  } finally {
    await fleet.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
