/*
|--------------------------------------------------------------------------
| Bench results: progress lines, table, JSON and chart
|--------------------------------------------------------------------------
|
| writeResults(dir, name, { machine, method, cases }) writes <name>.json,
| <name>.md and <name>.svg and returns the table as printed. A case is
| `{ target, driver, scenario, rps, p50, p99, cpuUs, allocKb, rssMb,
| fixed?, failed? }`; `target` is `app`, a peer (`adonis`, `fastify`,
| `express`) or `node`; the floor's cases have no driver.
|
*/

const { writeFileSync, mkdirSync } = require('node:fs')
const { join } = require('node:path')
const { svg } = require('./chart')

/**
 * The targets, checked in every run from the figures measured side by side.
 */
const TARGETS = {
  floorCpuVsAdonis: 1.5,
  vsAdonis: 1.5,
  vsFastify: { returning: 1.0, new: 0.8, switch: 0.5 },
  fixedP99Ms: 5,
}

const NAMES = { app: 'app', adonis: 'stock AdonisJS', fastify: 'Fastify', express: 'Express' }

function find(cases, target, driver, scenario) {
  return cases.find((c) => c.target === target && c.driver === driver && c.scenario === scenario)
}

function ratio(a, b) {
  return a && b && !a.failed && !b.failed && b.rps ? a.rps / b.rps : null
}

/**
 * The same ratio from CPU per request (the peer's ÷ the app's): what the
 * req/s ratio would be if both had the core to themselves. On a shared
 * machine, req/s also depends on how much of the core each round got.
 */
function cpuRatio(a, b) {
  return a && b && !a.failed && !b.failed && a.cpuUs ? b.cpuUs / a.cpuUs : null
}

function verdictOf(r, rc, target) {
  const met = r !== null && r >= target
  const byCpu = rc !== null && rc >= target ? 'met' : 'not met'
  return `${met ? 'met' : 'NOT met'} (${times(r)}; by CPU ${times(rc)}, ${byCpu})`
}

function label(c) {
  const name = c.target === 'node' ? 'node:http' : c.target
  return c.driver ? `${name} · ${c.driver} · ${c.scenario}` : `${name} · ${c.scenario}`
}

function ms(value) {
  if (!Number.isFinite(value)) return '—'
  return value < 10 ? value.toFixed(1) : String(Math.round(value))
}

function times(value) {
  return value === null ? '—' : `${value.toFixed(2)}×`
}

/**
 * The values of `key` in the order the cases came, without repeats.
 */
function inOrder(cases, key) {
  return [...new Set(cases.map((c) => c[key]).filter(Boolean))]
}

/**
 * The app and its peers for each driver and scenario, in run order, with
 * the app's ratio to each peer. The floor, which has no driver, is the
 * first group when it was measured (with bare node:http in it).
 */
function groups(cases) {
  const targets = inOrder(cases, 'target').filter((t) => t !== 'node')
  const list = []
  const floor = ['app', 'adonis', 'fastify', 'node']
    .map((t) => find(cases, t, null, 'floor'))
    .filter(Boolean)
  if (floor.length) list.push({ driver: null, scenario: 'floor', row: floor, ratios: [] })
  for (const driver of inOrder(cases, 'driver')) {
    for (const scenario of inOrder(cases, 'scenario')) {
      const app = find(cases, 'app', driver, scenario)
      const row = targets.map((t) => find(cases, t, driver, scenario)).filter(Boolean)
      const ratios = row
        .filter((c) => c.target !== 'app')
        .map((peer) => ({ peer: peer.target, value: ratio(app, peer) }))
      if (row.length) list.push({ driver, scenario, row, ratios })
    }
  }
  return list
}

function fixedCell(c) {
  if (!c.fixed) return '—'
  const f = c.fixed
  if (f.overPeak) return `not offered: ${f.rate.toLocaleString('en')}/s is over its peak`
  const note = f.problems ? ` (${f.problems})` : ''
  const windows =
    f.windowsP99 && f.windowsP99.length > 1 ? ` [${f.windowsP99.map(ms).join(', ')}]` : ''
  return `${ms(f.p99)} @ ${f.rate.toLocaleString('en')}/s${windows}${note}`
}

function markdown({ machine, method, cases }) {
  const page = cases.find((c) => c.target === 'node' && c.scenario === 'page')
  const peers = inOrder(cases, 'target').filter((t) => t !== 'node' && t !== 'app')
  const header = [
    'case',
    'req/s',
    'CPU per request (µs)',
    'allocated per request (KB)',
    'p99 (ms), 50 connections',
    'p99 (ms) at a fixed rate',
    ...peers.map((peer) => `app ÷ ${NAMES[peer] || peer}`),
    'RSS at end (MB)',
  ]
  const lines = [`| ${header.join(' | ')} |`, `| --- |${' ---: |'.repeat(header.length - 1)}`]
  const rows = [page, ...groups(cases).flatMap((g) => g.row)].filter(Boolean)
  for (const c of rows) {
    const cells = c.failed
      ? [label(c), `failed: ${c.failed}`, ...Array(header.length - 2).fill('')]
      : [
          label(c),
          Math.round(c.rps).toLocaleString('en'),
          Number.isFinite(c.cpuUs) ? String(c.cpuUs) : '—',
          Number.isFinite(c.allocKb) ? c.allocKb.toFixed(1) : '—',
          ms(c.p99),
          fixedCell(c),
          ...peers.map((peer) =>
            c.target === 'app' ? times(ratio(c, find(cases, peer, c.driver, c.scenario))) : ''
          ),
          Number.isFinite(c.rssMb) ? String(c.rssMb) : '—',
        ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  const database = cases.some((c) => c.driver === 'database')
  const pinned = machine.pinned
    ? `servers on ${machine.pinned.server}, load on ${machine.pinned.load} (taskset)`
    : 'no pinning'
  return [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}; ${pinned}; shared with other work.`,
    `Run: ${machine.date}, commit ${machine.commit}${machine.uncommittedChanges ? ' (with uncommitted changes)' : ''}, load average ${machine.loadAverage.join(' ')} at start${machine.loadAverageAtEnd ? `, ${machine.loadAverageAtEnd.join(' ')} at end` : ''}${Number.isFinite(machine.stealPercent) ? `; ${machine.stealPercent}% of the CPU time stolen by the hypervisor over the run` : ''}${machine.quick ? ', QUICK mode (one short round: indicative only)' : ''}.`,
    `Method: ${method.tool}, ${method.connections} connections, pipelining ${method.pipelining}, ${method.warmupSeconds} s warm-up, ${method.rounds} × ${method.roundSeconds} s rounds, ${method.statistic}; then ${method.fixedWindows ? `${method.fixedWindows} windows of ` : ''}${method.fixedSeconds} s at ${method.fixedRate}${method.fixedWindows > 1 ? ", taken in turn, median of the windows' p99" : ''}; allocation: ${method.allocation}. Peers render with ${method.peerEdge}.${method.appNodeOptions ? ` The app runs with \`${method.appNodeOptions}\` (bin/setup.js), the peers with Node's defaults.` : ''}`,
    '',
    ...lines,
    '',
    ...(database
      ? ['Stock AdonisJS with the database driver: n/a (@adonisjs/session 6 has none).', '']
      : []),
    'Targets, from this run:',
    '',
    ...targets(cases).map((line) => `- ${line}`),
    '',
  ].join('\n')
}

/**
 * Each target met or not, per driver, with the figure that decides it.
 */
function targets(cases) {
  const drivers = inOrder(cases, 'driver')
  const lines = []
  const verdict = (met) => (met ? 'met' : 'NOT met')
  const scenarios = ['returning', 'new', 'switch']

  const floorApp = find(cases, 'app', null, 'floor')
  const floorAdonis = find(cases, 'adonis', null, 'floor')
  if (floorApp && floorAdonis && !floorApp.failed && !floorAdonis.failed) {
    const r = floorApp.cpuUs / floorAdonis.cpuUs
    lines.push(
      `Floor, app CPU ≤ ${TARGETS.floorCpuVsAdonis}× stock AdonisJS's: ${verdict(r <= TARGETS.floorCpuVsAdonis)} (${floorApp.cpuUs} µs against ${floorAdonis.cpuUs} µs: ${r.toFixed(2)}×).`
    )
  }

  for (const scenario of scenarios) {
    const parts = drivers
      .filter((driver) => find(cases, 'adonis', driver, scenario))
      .map((driver) => {
        const app = find(cases, 'app', driver, scenario)
        const peer = find(cases, 'adonis', driver, scenario)
        return `${driver} ${verdictOf(ratio(app, peer), cpuRatio(app, peer), TARGETS.vsAdonis)}`
      })
    if (parts.length)
      lines.push(`${scenario}, app ≥ ${TARGETS.vsAdonis}× stock AdonisJS: ${parts.join('; ')}.`)
  }

  for (const scenario of scenarios) {
    const target = TARGETS.vsFastify[scenario]
    const parts = drivers
      .filter((driver) => find(cases, 'app', driver, scenario))
      .map((driver) => {
        const app = find(cases, 'app', driver, scenario)
        const peer = find(cases, 'fastify', driver, scenario)
        return `${driver} ${verdictOf(ratio(app, peer), cpuRatio(app, peer), target)}`
      })
    if (parts.length)
      lines.push(`${scenario}, app ≥ ${target.toFixed(1)}× Fastify: ${parts.join('; ')}.`)
  }

  for (const scenario of ['returning', 'switch']) {
    const parts = drivers
      .map((driver) => find(cases, 'app', driver, scenario))
      .filter((app) => app && app.fixed)
      .map((app) => {
        const f = app.fixed
        if (f.overPeak) {
          return `${app.driver} ${verdict(false)} (${f.rate.toLocaleString('en')}/s is over its peak)`
        }
        const met = !app.failed && !f.problems && f.p99 <= TARGETS.fixedP99Ms
        return `${app.driver} ${verdict(met)} (${ms(f.p99)} ms at ${f.rate.toLocaleString('en')}/s)`
      })
    if (parts.length)
      lines.push(
        `${scenario}, app p99 ≤ ${TARGETS.fixedP99Ms} ms at half of Fastify's rate: ${parts.join('; ')}.`
      )
  }
  return lines
}

/**
 * One line per case on the terminal while the run goes; an app line also
 * gives its ratio to each peer measured with it (`group`).
 */
class Progress {
  constructor(total) {
    this.total = total
    this.done = 0
  }

  line(entry, group = []) {
    this.done++
    const count = `[${String(this.done).padStart(2)}/${this.total}]`
    const name = `${entry.target.padEnd(7)} ${(entry.driver || '-').padEnd(8)} ${(entry.scenario || '-').padEnd(9)}`
    const fixed = entry.fixed?.overPeak
      ? `  fixed ${entry.fixed.rate}/s: over its peak, not offered`
      : entry.fixed
        ? `  fixed ${entry.fixed.rate}/s p99 ${fmt(entry.fixed.p99)} ms${entry.fixed.problems ? ` (${entry.fixed.problems})` : ''}`
        : ''
    const figures = entry.failed
      ? `FAILED: ${entry.failed}`
      : `${Math.round(entry.rps).toLocaleString('en').padStart(7)} req/s  p99 ${fmt(entry.p99)} ms  cpu ${String(entry.cpuUs).padStart(4)} µs/req  alloc ${String(entry.allocKb).padStart(5)} KB/req  rss ${String(entry.rssMb).padStart(3)} MB${fixed}`
    const ratios =
      entry.target === 'app'
        ? group
            .filter((peer) => peer.target !== 'app' && ratio(entry, peer) !== null)
            .map((peer) => `  ×${ratio(entry, peer).toFixed(2)} ${peer.target}`)
            .join('')
        : ''
    console.log(`${count} ${name} ${figures}${ratios}`)
  }
}

function fmt(ms) {
  return (ms < 10 ? ms.toFixed(1) : String(Math.round(ms))).padStart(4)
}

/**
 * The JSON and the table as the project's Prettier writes them, so that
 * `npm run format:check` stays clean after a run.
 */
async function pretty(text, parser) {
  try {
    const prettier = require('prettier')
    const config = (await prettier.resolveConfig(join(__dirname, 'run.js'))) || {}
    return await prettier.format(text, { ...config, parser })
  } catch {
    return text
  }
}

async function writeResults(dir, name, results) {
  mkdirSync(dir, { recursive: true })
  const table = markdown(results)
  const files = [join(dir, `${name}.json`), join(dir, `${name}.md`), join(dir, `${name}.svg`)]
  writeFileSync(files[0], await pretty(JSON.stringify(results, null, 2), 'json'))
  writeFileSync(files[1], await pretty(table, 'markdown'))
  writeFileSync(
    files[2],
    svg(
      results,
      groups(results.cases).filter((g) => g.driver)
    )
  )
  return { table, files }
}

module.exports = { writeResults, Progress }
