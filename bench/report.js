/*
|--------------------------------------------------------------------------
| Bench results: table, JSON and SVG
|--------------------------------------------------------------------------
|
| writeResults(dir, name, { machine, method, cases }) writes <name>.json,
| <name>.md and <name>.svg and returns the table as printed.
|
*/

const { writeFileSync, mkdirSync } = require('node:fs')
const { join } = require('node:path')

const DRIVERS = ['cookie', 'file', 'redis']
const SCENARIOS = ['returning', 'new', 'switch']
const TARGET_RATIO = 1.5
const TARGET_P99 = 20

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
 * Rows in reading order: the ceiling, then app beside peer for each driver
 * and scenario.
 */
function ordered(cases) {
  const rows = cases.filter((c) => c.target === 'node')
  for (const driver of DRIVERS) {
    for (const scenario of SCENARIOS) {
      for (const target of ['app', 'express']) {
        const found = find(cases, target, driver, scenario)
        if (found) rows.push(found)
      }
    }
  }
  return rows
}

function markdown({ machine, method, cases }) {
  const node = cases.find((c) => c.target === 'node')
  const lines = [
    '| case | req/s | p50 (ms) | p99 (ms) | vs express | vs node | server CPU per request (µs) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const c of ordered(cases)) {
    const peer = c.target === 'app' ? find(cases, 'express', c.driver, c.scenario) : null
    const cells = c.failed
      ? [label(c), 'failed', '', '', '', '', '']
      : [
          label(c),
          Math.round(c.rps).toLocaleString('en'),
          ms(c.p50),
          ms(c.p99),
          times(ratio(c, peer)),
          c.target === 'node' ? '1.00×' : times(ratio(c, node)),
          Number.isFinite(c.cpuUs) ? String(c.cpuUs) : '—',
        ]
    lines.push(`| ${cells.join(' | ')} |`)
  }

  const targets = DRIVERS.filter((d) => find(cases, 'app', d, 'returning')).map((driver) => {
    const app = find(cases, 'app', driver, 'returning')
    const r = ratio(app, find(cases, 'express', driver, 'returning'))
    const met = r !== null && r >= TARGET_RATIO && app.p99 < TARGET_P99
    return `${driver} ${met ? 'met' : 'NOT met'} (${times(r)}, p99 ${ms(app.p99)} ms)`
  })

  const pinned = machine.pinned
    ? `servers on ${machine.pinned.server}, load on ${machine.pinned.load} (taskset)`
    : 'no pinning'
  return [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}; ${pinned}.`,
    `Run: ${machine.date}, commit ${machine.commit}${machine.uncommittedChanges ? ' (with uncommitted changes)' : ''}, load average ${machine.loadAverage.join(' ')} at start${machine.loadAverageAtEnd ? `, ${machine.loadAverageAtEnd.join(' ')} at end` : ''}${machine.quick ? ', QUICK mode (one short round: indicative only)' : ''}.`,
    `Method: ${method.tool}, ${method.connections} connections, pipelining ${method.pipelining}, ${method.warmupSeconds} s warm-up, ${method.rounds} × ${method.roundSeconds} s rounds, ${method.statistic}; Express peer with ${method.peer}.`,
    '',
    ...lines,
    '',
    `Target (returning visitor ≥ ${TARGET_RATIO}× express, p99 < ${TARGET_P99} ms): ${targets.join('; ')}.`,
    '',
  ].join('\n')
}

function escape(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function niceStep(max) {
  const rough = max / 5
  const power = 10 ** Math.floor(Math.log10(rough))
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((step) => step >= rough)
}

/**
 * Grouped bars: req/s per driver and scenario, the app beside its peer.
 */
function svg({ machine, method, cases }) {
  const width = 960
  const height = 470
  const left = 70
  const right = 20
  const top = 78
  const bottom = 92
  const plotW = width - left - right
  const plotH = height - top - bottom
  const groups = []
  for (const driver of DRIVERS) {
    for (const scenario of SCENARIOS) {
      const app = find(cases, 'app', driver, scenario)
      const peer = find(cases, 'express', driver, scenario)
      if (app || peer) groups.push({ driver, scenario, app, peer })
    }
  }
  const values = groups.flatMap((g) => [g.app, g.peer]).filter((c) => c && !c.failed)
  const max = Math.max(1, ...values.map((c) => c.rps))
  const step = niceStep(max)
  const yMax = Math.ceil((max * 1.12) / step) * step
  const y = (v) => top + plotH - (v / yMax) * plotH
  const groupW = plotW / Math.max(1, groups.length)
  const barW = Math.min(34, groupW * 0.32)
  const colors = { app: '#2563a8', express: '#9aa3ad' }
  const node = cases.find((c) => c.target === 'node')
  const out = []

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="26" font-size="16" font-weight="600" fill="#111">Requests per second, this app beside an Express peer (higher is better)</text>`,
    `<text x="${left}" y="46" fill="#444">${escape(
      `Bold: app ÷ express. ${method.connections} connections, pipelining ${method.pipelining}, median of ${method.rounds} × ${method.roundSeconds} s` +
        (node && !node.failed
          ? `; bare node:http serving the same page: ${Math.round(node.rps).toLocaleString('en')} req/s`
          : '') +
        (method.peer && method.peer !== 'stock edge.js' ? `; peer: ${method.peer}` : '') +
        (machine.quick ? ' (quick run)' : '')
    )}</text>`
  )

  for (let v = 0; v <= yMax; v += step) {
    out.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e6ea"/>`,
      `<text x="${left - 8}" y="${y(v) + 4}" text-anchor="end" fill="#555">${Math.round(v).toLocaleString('en')}</text>`
    )
  }

  groups.forEach((g, i) => {
    const cx = left + groupW * i + groupW / 2
    for (const [j, c] of [g.app, g.peer].entries()) {
      if (!c || c.failed) continue
      const x = cx - barW - 2 + j * (barW + 4)
      const fill = colors[c.target]
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y(c.rps).toFixed(1)}" width="${barW.toFixed(1)}" height="${(top + plotH - y(c.rps)).toFixed(1)}" fill="${fill}"><title>${escape(`${label(c)}: ${Math.round(c.rps)} req/s, p50 ${ms(c.p50)} ms, p99 ${ms(c.p99)} ms`)}</title></rect>`,
        `<text x="${(x + barW / 2).toFixed(1)}" y="${(y(c.rps) - 5).toFixed(1)}" text-anchor="middle" font-size="10" fill="#333">${Math.round(c.rps).toLocaleString('en')}</text>`
      )
    }
    const r = ratio(g.app, g.peer)
    if (r !== null) {
      const topOfGroup = Math.min(y(g.app.rps), y(g.peer.rps))
      out.push(
        `<text x="${cx.toFixed(1)}" y="${(topOfGroup - 20).toFixed(1)}" text-anchor="middle" font-weight="600" fill="#111">${r.toFixed(2)}×</text>`
      )
    }
    out.push(
      `<text x="${cx.toFixed(1)}" y="${top + plotH + 18}" text-anchor="middle" fill="#333">${g.scenario}</text>`
    )
  })

  for (const driver of DRIVERS) {
    const indexes = groups.map((g, i) => (g.driver === driver ? i : -1)).filter((i) => i >= 0)
    if (!indexes.length) continue
    const x1 = left + groupW * indexes[0]
    const x2 = left + groupW * (indexes[indexes.length - 1] + 1)
    out.push(
      `<line x1="${x1 + 6}" x2="${x2 - 6}" y1="${top + plotH + 30}" y2="${top + plotH + 30}" stroke="#888"/>`,
      `<text x="${(x1 + x2) / 2}" y="${top + plotH + 48}" text-anchor="middle" font-weight="600" fill="#111">${driver} driver</text>`
    )
  }

  out.push(
    `<line x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/>`,
    `<rect x="${left}" y="${height - 26}" width="12" height="12" fill="${colors.app}"/>`,
    `<text x="${left + 18}" y="${height - 16}" fill="#111">this app (AdonisJS 5, production build)</text>`,
    `<rect x="${left + 280}" y="${height - 26}" width="12" height="12" fill="${colors.express}"/>`,
    `<text x="${left + 298}" y="${height - 16}" fill="#111">Express 4 + cookie-session / express-session with session-file-store / connect-redis</text>`,
    '</svg>',
    ''
  )
  return out.join('\n')
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
  writeFileSync(files[2], svg(results))
  return { table, files }
}

module.exports = { writeResults }
