/*
|--------------------------------------------------------------------------
| Bench results: progress lines, table, JSON and chart
|--------------------------------------------------------------------------
|
| writeResults(dir, name, { machine, method, cases }) writes <name>.json,
| <name>.md and <name>.svg and returns the table as printed. A case is
| `{ target, driver, scenario, rps, p50, p99, cpuUs, rssMb, failed? }`;
| `target` is `app`, a peer (`fastify`, `express`) or `node`.
|
*/

const { writeFileSync, mkdirSync } = require('node:fs')
const { join } = require('node:path')
const { svg } = require('./chart')

/**
 * Issue #14's targets, as ratios of req/s measured side by side.
 */
const TARGETS = { returning: 1.0, new: 0.8, switch: 0.8, p99Ms: 20, cookieVsNode: 0.1 }

function find(cases, target, driver, scenario) {
  return cases.find((c) => c.target === target && c.driver === driver && c.scenario === scenario)
}

function ratio(a, b) {
  return a && b && !a.failed && !b.failed && b.rps ? a.rps / b.rps : null
}

function label(c) {
  return c.target === 'node' ? 'node:http' : `${c.target} · ${c.driver} · ${c.scenario}`
}

function ms(value) {
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
 * the app's ratio to each peer.
 */
function groups(cases) {
  const targets = inOrder(cases, 'target').filter((t) => t !== 'node')
  const list = []
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

function markdown({ machine, method, cases }) {
  const node = cases.find((c) => c.target === 'node')
  const peers = inOrder(cases, 'target').filter((t) => t !== 'node' && t !== 'app')
  const header = [
    'case',
    'req/s',
    'p50 (ms)',
    'p99 (ms)',
    ...peers.map((peer) => `app ÷ ${peer}`),
    '÷ node:http',
    'server CPU per request (µs)',
    'server RSS at end (MB)',
  ]
  const lines = [`| ${header.join(' | ')} |`, `| --- |${' ---: |'.repeat(header.length - 1)}`]
  const rows = [node, ...groups(cases).flatMap((g) => g.row)].filter(Boolean)
  for (const c of rows) {
    const cells = c.failed
      ? [label(c), `failed: ${c.failed}`, ...Array(header.length - 2).fill('')]
      : [
          label(c),
          Math.round(c.rps).toLocaleString('en'),
          ms(c.p50),
          ms(c.p99),
          ...peers.map((peer) =>
            c.target === 'app' ? times(ratio(c, find(cases, peer, c.driver, c.scenario))) : ''
          ),
          times(ratio(c, node)),
          Number.isFinite(c.cpuUs) ? String(c.cpuUs) : '—',
          Number.isFinite(c.rssMb) ? String(c.rssMb) : '—',
        ]
    lines.push(`| ${cells.join(' | ')} |`)
  }

  const pinned = machine.pinned
    ? `servers on ${machine.pinned.server}, load on ${machine.pinned.load} (taskset)`
    : 'no pinning'
  return [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}; ${pinned}.`,
    `Run: ${machine.date}, commit ${machine.commit}${machine.uncommittedChanges ? ' (with uncommitted changes)' : ''}, load average ${machine.loadAverage.join(' ')} at start${machine.loadAverageAtEnd ? `, ${machine.loadAverageAtEnd.join(' ')} at end` : ''}${machine.quick ? ', QUICK mode (one short round: indicative only)' : ''}.`,
    `Method: ${method.tool}, ${method.connections} connections, pipelining ${method.pipelining}, ${method.warmupSeconds} s warm-up, ${method.rounds} × ${method.roundSeconds} s rounds, ${method.statistic}; peers (${method.peers.join(', ')}) render with ${method.peerEdge}.`,
    '',
    ...lines,
    '',
    'Targets (issue #14), from this run:',
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
  const vsFastify = (scenario, title) => {
    const parts = drivers
      .filter((driver) => find(cases, 'app', driver, scenario))
      .map((driver) => {
        const r = ratio(
          find(cases, 'app', driver, scenario),
          find(cases, 'fastify', driver, scenario)
        )
        return `${driver} ${verdict(r !== null && r >= TARGETS[scenario])} (${times(r)})`
      })
    if (parts.length)
      lines.push(`${title}, app ≥ ${TARGETS[scenario].toFixed(1)}× Fastify: ${parts.join('; ')}.`)
  }
  vsFastify('returning', 'Returning visitor')
  vsFastify('new', 'New visitor')
  vsFastify('switch', 'Language switch')

  const p99 = drivers
    .map((driver) => find(cases, 'app', driver, 'returning'))
    .filter(Boolean)
    .map(
      (app) =>
        `${app.driver} ${verdict(!app.failed && app.p99 < TARGETS.p99Ms)} (${ms(app.p99)} ms)`
    )
  if (p99.length) {
    lines.push(
      `Returning visitor, app p99 < ${TARGETS.p99Ms} ms at 50 connections: ${p99.join('; ')}.`
    )
  }

  const cookie = find(cases, 'app', 'cookie', 'returning')
  const node = cases.find((c) => c.target === 'node')
  if (cookie && node) {
    const r = ratio(cookie, node)
    lines.push(
      `Returning visitor with the cookie driver, app ≥ ${TARGETS.cookieVsNode}× bare node:http: ${verdict(r !== null && r >= TARGETS.cookieVsNode)} (${times(r)}).`
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
    const figures = entry.failed
      ? `FAILED: ${entry.failed}`
      : `${Math.round(entry.rps).toLocaleString('en').padStart(7)} req/s  p50 ${fmt(entry.p50)} ms  p99 ${fmt(entry.p99)} ms  cpu ${String(entry.cpuUs).padStart(4)} µs/req  rss ${String(entry.rssMb).padStart(3)} MB`
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
  writeFileSync(files[2], svg(results, groups(results.cases)))
  return { table, files }
}

module.exports = { writeResults, Progress }
