/*
|--------------------------------------------------------------------------
| Bench chart
|--------------------------------------------------------------------------
|
| svg(results, groups): three panels of grouped bars, one group per driver
| and scenario with the app beside each peer: req/s with the app's ratio to
| each peer, server CPU per request, and server RSS at the end of the case.
|
*/

const WIDTH = 960
const LEFT = 70
const RIGHT = 20
const COLORS = { app: '#2563a8', adonis: '#5a9e6f', fastify: '#d9822b', express: '#9aa3ad' }
const NAMES = {
  app: 'this app (AdonisJS 5)',
  adonis: 'stock AdonisJS 5 + @adonisjs/session',
  fastify: 'Fastify 4 + its session plugins',
  express: 'Express 4 + its session middleware',
}

function escape(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function niceStep(max) {
  const rough = max / 4
  const power = 10 ** Math.floor(Math.log10(rough))
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((step) => step >= rough)
}

function thousands(value) {
  return value >= 1000 ? `${(value / 1000).toFixed(1)}k` : String(Math.round(value))
}

/**
 * One panel at `top`: a title, a y axis, a bar per case of each group, the
 * scenario under each group, `extraLines` more lines under it (the ratios)
 * and the driver under its groups. Returns the SVG and where it ends.
 */
function panel(groups, { top, height, title, value, format, extraLines = () => [] }) {
  const out = []
  const plotW = WIDTH - LEFT - RIGHT
  const plotTop = top + 22
  const bottom = plotTop + height
  const values = groups.flatMap((g) => g.row.filter((c) => !c.failed).map(value))
  const max = Math.max(1, ...values.filter(Number.isFinite))
  const step = niceStep(max)
  const yMax = Math.ceil((max * 1.15) / step) * step
  const y = (v) => bottom - (v / yMax) * height
  const groupW = plotW / Math.max(1, groups.length)
  const perGroup = Math.max(1, ...groups.map((g) => g.row.length))
  const barW = Math.min(24, (groupW * 0.8) / perGroup)

  out.push(
    `<text x="${LEFT}" y="${top + 10}" font-size="13" font-weight="600" fill="#111">${escape(title)}</text>`
  )
  for (let v = 0; v <= yMax; v += step) {
    out.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e6ea"/>`,
      `<text x="${LEFT - 8}" y="${y(v) + 4}" text-anchor="end" fill="#555">${format(v)}</text>`
    )
  }

  let below = 0
  groups.forEach((g, i) => {
    const cx = LEFT + groupW * i + groupW / 2
    const start = cx - (g.row.length * (barW + 2)) / 2
    g.row.forEach((c, j) => {
      if (c.failed || !Number.isFinite(value(c))) return
      const x = start + j * (barW + 2)
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y(value(c)).toFixed(1)}" width="${barW.toFixed(1)}" height="${(bottom - y(value(c))).toFixed(1)}" fill="${COLORS[c.target] || '#666'}"><title>${escape(`${c.target} · ${c.driver} · ${c.scenario}: ${format(value(c))}`)}</title></rect>`,
        `<text x="${(x + barW / 2).toFixed(1)}" y="${(y(value(c)) - 4).toFixed(1)}" text-anchor="middle" font-size="9" fill="#333">${format(value(c))}</text>`
      )
    })
    const lines = [g.scenario, ...extraLines(g)]
    lines.forEach((line, k) => {
      out.push(
        `<text x="${cx.toFixed(1)}" y="${bottom + 16 + k * 13}" text-anchor="middle" fill="#333"${k ? ' font-size="10"' : ''}>${escape(line)}</text>`
      )
    })
    below = Math.max(below, 16 + (lines.length - 1) * 13)
  })

  const bandY = bottom + below + 12
  for (const driver of new Set(groups.map((g) => g.driver))) {
    const indexes = groups.map((g, i) => (g.driver === driver ? i : -1)).filter((i) => i >= 0)
    const x1 = LEFT + groupW * indexes[0]
    const x2 = LEFT + groupW * (indexes[indexes.length - 1] + 1)
    out.push(
      `<line x1="${x1 + 6}" x2="${x2 - 6}" y1="${bandY}" y2="${bandY}" stroke="#888"/>`,
      `<text x="${(x1 + x2) / 2}" y="${bandY + 15}" text-anchor="middle" font-weight="600" fill="#111">${escape(driver)} driver</text>`
    )
  }
  out.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${bottom}" y2="${bottom}" stroke="#333"/>`)
  return { svg: out.join('\n'), end: bandY + 30 }
}

function svg({ machine, method, cases }, groups) {
  const node = cases.find((c) => c.target === 'node' && c.scenario === 'page')
  const targets = [...new Set(groups.flatMap((g) => g.row.map((c) => c.target)))]
  const parts = []
  let top = 104

  const throughput = panel(groups, {
    top,
    height: 190,
    title: 'Requests per second (higher is better); under each group: app ÷ each peer',
    value: (c) => c.rps,
    format: thousands,
    extraLines: (g) =>
      g.ratios.map((r) => `÷ ${r.peer} ${r.value === null ? '—' : `${r.value.toFixed(2)}×`}`),
  })
  parts.push(throughput.svg)
  top = throughput.end + 10

  const cpu = panel(groups, {
    top,
    height: 110,
    title: 'Server CPU per request, µs (lower is better)',
    value: (c) => c.cpuUs,
    format: (v) => String(Math.round(v)),
  })
  parts.push(cpu.svg)
  top = cpu.end + 10

  const rss = panel(groups, {
    top,
    height: 110,
    title: 'Server memory (RSS) at the end of the case, MB',
    value: (c) => c.rssMb,
    format: (v) => String(Math.round(v)),
  })
  parts.push(rss.svg)
  const height = rss.end + 4

  const subtitle = [
    `${method.connections} connections, pipelining ${method.pipelining}, median of ${method.rounds} × ${method.roundSeconds} s` +
      (machine.quick ? ' (quick run: indicative only)' : '') +
      `; the peers render with ${method.peerEdge}.`,
    node && !node.failed
      ? `Bare node:http serving the same page: ${Math.round(node.rps).toLocaleString('en')} req/s, ${node.cpuUs} µs of CPU per request.`
      : '',
  ]
  let legendX = LEFT
  const legend = targets.map((target) => {
    const item = [
      `<rect x="${legendX}" y="76" width="12" height="12" fill="${COLORS[target] || '#666'}"/>`,
      `<text x="${legendX + 17}" y="86" fill="#111">${escape(NAMES[target] || target)}</text>`,
    ].join('\n')
    legendX += 36 + (NAMES[target] || target).length * 6.4
    return item
  })

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="24" font-size="16" font-weight="600" fill="#111">This app beside stock AdonisJS, Fastify and Express, per session driver and scenario</text>`,
    ...subtitle.map(
      (line, i) => `<text x="${LEFT}" y="${44 + i * 16}" fill="#444">${escape(line)}</text>`
    ),
    ...legend,
    ...parts,
    '</svg>',
    '',
  ].join('\n')
}

module.exports = { svg }
