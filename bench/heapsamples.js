/*
|--------------------------------------------------------------------------
| Heap samples summary
|--------------------------------------------------------------------------
|
| Reads a profile of V8's sampling heap profiler (bench/probe.js --heap) and
| prints who allocated the bytes, per request: by package and by function
| (self), and by function including its callees.
|
|   node bench/heapsamples.js <file> <requests> [--top=25]
|
*/

const { readFileSync } = require('node:fs')
const { owner, key: where } = require('./profile')

function summarise(file, requests, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const selfBy = new Map()
  const totalBy = new Map()
  const packages = new Map()
  const add = (map, key, bytes) => map.set(key, (map.get(key) || 0) + bytes)
  let all = 0
  const walk = (node, stack) => {
    const name = where(node.callFrame)
    let total = node.selfSize
    for (const child of node.children || []) total += walk(child, [...stack, name])
    add(selfBy, name, node.selfSize)
    add(packages, owner(node.callFrame), node.selfSize)
    all += node.selfSize
    // A recursive function counts once per stack.
    if (!stack.includes(name)) add(totalBy, name, total)
    return total
  }
  walk(profile.head, [])
  const kb = (bytes) => `${(bytes / 1024 / requests).toFixed(2).padStart(7)} KB/req`
  const list = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, bytes]) => `  ${kb(bytes)}  ${name}`)
  return [
    `sampled ${kb(all)} in all`,
    'by package (self):',
    ...list(packages),
    'by function (self):',
    ...list(selfBy),
    'by function (including callees):',
    ...list(totalBy),
  ].join('\n')
}

if (require.main === module) {
  const [file, requests] = process.argv.slice(2)
  const topArg = process.argv.find((a) => a.startsWith('--top='))
  console.log(summarise(file, Number(requests), topArg ? Number(topArg.slice(6)) : 25))
}

module.exports = { summarise }
