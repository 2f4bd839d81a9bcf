/*
|--------------------------------------------------------------------------
| CPU profile summary
|--------------------------------------------------------------------------
|
| Reads a .cpuprofile written by `node --cpu-prof` (npm run bench --
| --profile) and prints where the time went: by package, by function
| (self time) and by function including what it calls.
|
|   node bench/profile.js bench/results/app-cookie.cpuprofile [--top=25]
|   node bench/profile.js <file> --callers=randomFill [--depth=4]   who calls it
|
*/

const { readFileSync } = require('node:fs')

const IDLE = new Set(['(idle)', '(program)'])

/**
 * Whether a sample was taken while the process booted (loading modules from
 * the entry point): time that no request pays, left out of the shares.
 */
function booting(byId, parent, id) {
  for (let at = id; at !== undefined; at = parent.get(at)) {
    if ((byId.get(at).callFrame.url || '') === 'node:internal/main/run_main_module') return true
  }
  return false
}

/**
 * "@adonisjs/session", "edge.js", "node:internal", "app" or a V8 bucket.
 */
function owner(frame) {
  const url = frame.url || ''
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)'
  if (url.startsWith('node:')) return 'node: (core)'
  const match = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)
  if (match) return match[match.length - 1].replace('node_modules/', '')
  return 'app'
}

function key(frame) {
  const file = (frame.url || '')
    .replace(/^.*node_modules\//, '')
    .replace(/^file:\/\/.*\/build\//, '')
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`
}

function summarise(path, top = 20) {
  const profile = JSON.parse(readFileSync(path, 'utf8'))
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map()
  for (const node of profile.nodes) {
    for (const child of node.children || []) parent.set(child, node.id)
  }

  const self = new Map()
  const total = new Map()
  const packages = new Map()
  let busy = 0
  let boot = 0
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] || 0
    const node = byId.get(id)
    if (IDLE.has(node.callFrame.functionName)) return
    if (booting(byId, parent, id)) {
      boot += delta
      return
    }
    busy += delta
    const add = (map, name) => map.set(name, (map.get(name) || 0) + delta)
    add(self, key(node.callFrame))
    add(packages, owner(node.callFrame))
    const seen = new Set()
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const name = key(byId.get(at).callFrame)
      if (!seen.has(name) && name !== '(root) :0') {
        seen.add(name)
        add(total, name)
      }
    }
  })

  const list = (map, count) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, time]) => `  ${((time / busy) * 100).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n')

  return [
    `busy ${(busy / 1e6).toFixed(1)} s of CPU after boot (boot: ${(boot / 1e6).toFixed(1)} s, left out)`,
    'by package (self time):',
    list(packages, 15),
    'by function (self time):',
    list(self, top),
    'by function (including callees):',
    list(total, top),
  ].join('\n')
}

/**
 * Who calls the functions whose name matches `pattern`, `depth` frames up:
 * the question after "what is hot" is "why is it called at all".
 */
function callers(path, pattern, depth = 4, top = 15) {
  const profile = JSON.parse(readFileSync(path, 'utf8'))
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map()
  for (const node of profile.nodes) {
    for (const child of node.children || []) parent.set(child, node.id)
  }
  const chains = new Map()
  let matched = 0
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] || 0
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at).callFrame
      if (!key(frame).includes(pattern)) continue
      const chain = []
      for (let up = parent.get(at); up !== undefined && chain.length < depth; up = parent.get(up)) {
        chain.push(key(byId.get(up).callFrame))
      }
      const name = chain.join('\n      <- ')
      chains.set(name, (chains.get(name) || 0) + delta)
      matched += delta
      break
    }
  })
  return [...chains]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([chain, time]) => `  ${((time / matched) * 100).toFixed(1).padStart(5)}%  ${chain}`)
    .join('\n')
}

module.exports = { summarise, callers, owner, key }

if (require.main === module) {
  const option = (name) => {
    const arg = process.argv.find((a) => a.startsWith(`--${name}=`))
    return arg ? arg.slice(name.length + 3) : undefined
  }
  const top = Number(option('top') || 20)
  console.log(
    option('callers')
      ? callers(process.argv[2], option('callers'), Number(option('depth') || 4), top)
      : summarise(process.argv[2], top)
  )
}
