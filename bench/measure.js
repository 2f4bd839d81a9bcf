/*
|--------------------------------------------------------------------------
| Measurement
|--------------------------------------------------------------------------
|
| Load with autocannon, and what the server process spent doing it: CPU time
| and bytes allocated per request (bench/alloc.js), its memory (RSS) at the
| end of a case; then the latency at a fixed offered rate (bench/openloop.js).
|
*/

const { spawnSync } = require('node:child_process')
const { readFileSync } = require('node:fs')
const autocannon = require('autocannon')
const { openLoopInChild } = require('./openloop')

const CONNECTIONS = 50
const PIPELINING = 1

/**
 * A scenario with `visitors` (their headers, cookies included) gives each
 * connection the requests of one visitor, in turn.
 */
function load(base, scenario, duration) {
  const { visitors, requests } = scenario
  let next = 0
  const setupClient = visitors
    ? (client) => {
        const headers = visitors[next++ % visitors.length]
        client.setRequests(requests.map((request) => ({ ...request, headers })))
      }
    : undefined
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: base,
        connections: CONNECTIONS,
        pipelining: PIPELINING,
        duration,
        timeout: 10,
        headers: scenario.headers,
        requests: scenario.requests,
        setupClient,
      },
      (error, result) => (error ? reject(error) : resolve(result))
    )
  })
}

/**
 * CPU seconds a process has used (user + system). Per request, it is the
 * figure that holds when other work on the machine skews req/s: the bench
 * shares its cores with whatever else runs.
 */
const TICKS_PER_SECOND =
  Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100

function cpuTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return NaN
  }
}

/**
 * The machine's CPU ticks from /proc/stat: `steal` is the time the
 * hypervisor gave to other guests while this one had work to run. On a
 * shared VM it is what a fixed-rate p99 cannot be cleaned of.
 */
function cpuTicks() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number)
    return { steal: fields[7] || 0, total: fields.reduce((a, b) => a + b, 0) }
  } catch {
    return null
  }
}

/**
 * The share of CPU time stolen between two `cpuTicks()`, in per cent.
 */
function stealPercent(before, after) {
  if (!before || !after || after.total <= before.total) return NaN
  return Math.round((1000 * (after.steal - before.steal)) / (after.total - before.total)) / 10
}

/**
 * The resident memory of a process in MB, from /proc/<pid>/status.
 */
function rssMb(pid) {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)
    return match ? Math.round(Number(match[1]) / 1024) : NaN
  } catch {
    return NaN
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * Responses other than the expected status, errors and timeouts: a case
 * that has any is reported as failed rather than measured.
 */
function problems(result, expect) {
  const found = []
  for (const [code, { count }] of Object.entries(result.statusCodeStats || {})) {
    if (code !== expect) found.push(`${count} × HTTP ${code}`)
  }
  // A server (or the load generator) stalled for the whole round answers
  // nothing and reports no error either: that is no measurement.
  if (!result.requests.total) found.push('no response in a round')
  if (result.errors) found.push(`${result.errors} errors`)
  if (result.timeouts) found.push(`${result.timeouts} timeouts`)
  return found
}

/**
 * Runs the given targets (`{ target, driver, pid, server, base, scenarios }`)
 * on one scenario: a warm-up each (none with `warmup: 0`), then the rounds
 * taken in turn, so that a change in the machine's load hits them alike.
 * One case per target: the medians of its rounds, and its RSS after the last
 * one. With `options.fixedRate` (requests per second, or a function of the
 * cases measured), each target then gets `options.fixedWindows` windows of
 * `options.fixedDuration` seconds of open-loop load at that rate, taken in
 * turn like the rounds, and the case their medians as `fixed` (the p99 of
 * each window in `windowsP99`); a target whose flat-out req/s is below the
 * rate gets no window (`fixed.overPeak`).
 */
async function measure(targets, scenarioName, options) {
  for (const target of options.warmup > 0 ? targets : []) {
    await load(target.base, target.scenarios[scenarioName], options.warmup)
  }
  const rounds = targets.map(() => [])
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, target] of targets.entries()) {
      const scenario = target.scenarios[scenarioName]
      const cpuBefore = cpuTime(target.pid)
      if (target.server) target.server.allocStart()
      const result = await load(target.base, scenario, options.duration)
      const cpu = cpuTime(target.pid) - cpuBefore
      const alloc = target.server ? await target.server.allocStop() : null
      const total = result.requests.total
      rounds[index].push({
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        cpuUs: total ? (cpu * 1e6) / total : 0,
        allocKb: alloc && total ? alloc.allocatedBytes / 1024 / total : NaN,
        majorGcs: alloc ? alloc.majorGcs : NaN,
        problems: problems(result, scenario.expect),
      })
    }
  }
  const cases = targets.map((target, index) => {
    const failures = rounds[index].flatMap((r) => r.problems)
    const of = (key) => median(rounds[index].map((r) => r[key]))
    return {
      target: target.target,
      driver: target.driver,
      scenario: scenarioName,
      rps: Math.round(of('rps')),
      p50: of('p50'),
      p99: of('p99'),
      cpuUs: Math.round(of('cpuUs')),
      allocKb: Math.round(of('allocKb') * 10) / 10,
      // Mark-compacts in a round (median): none expected under steady load.
      majorGcs: of('majorGcs'),
      rssMb: rssMb(target.pid),
      ...(failures.length ? { failed: failures.join(', ') } : {}),
    }
  })
  const rate =
    typeof options.fixedRate === 'function' ? options.fixedRate(cases) : options.fixedRate
  if (rate > 0 && options.fixedDuration > 0) {
    const windows = targets.map(() => [])
    // A rate above what a server served flat out in this case only measures
    // a queue, and the backlog it leaves (seconds of requests waiting, their
    // objects promoted to the old generation) would land in the next case's
    // windows: it is not offered, and the case says so.
    const overPeak = cases.map((c) => !(c.rps >= rate))
    for (let window = 0; window < (options.fixedWindows || 1); window++) {
      for (const [index, target] of targets.entries()) {
        if (overPeak[index]) continue
        // A server that could not serve the rate in its first window builds
        // a queue in every window: one says so.
        const [first] = windows[index]
        if (first && first.achieved < 0.9 * rate) continue
        await settle(targets.map((t) => t.pid))
        const ticks = cpuTicks()
        const result = await openLoopInChild(target.base, target.scenarios[scenarioName], {
          rate: Math.round(rate),
          duration: options.fixedDuration,
        })
        windows[index].push({ ...result, steal: stealPercent(ticks, cpuTicks()) })
      }
    }
    for (const [index, results] of windows.entries()) {
      if (overPeak[index]) {
        cases[index].fixed = { rate: Math.round(rate), overPeak: true, p99: NaN }
        continue
      }
      const problems = [...new Set(results.flatMap((r) => r.problems))]
      cases[index].fixed = {
        rate: Math.round(rate),
        achieved: Math.round(median(results.map((r) => r.achieved))),
        p50: round2(median(results.map((r) => r.p50))),
        p99: round2(median(results.map((r) => r.p99))),
        max: round2(Math.max(...results.map((r) => r.max))),
        windowsP99: results.map((r) => round2(r.p99)),
        // Per cent of the machine's CPU time stolen by the hypervisor in each window.
        windowsSteal: results.map((r) => r.steal),
        ...(problems.length ? { problems: problems.join(', ') } : {}),
      }
    }
  }
  return cases
}

/**
 * Waits until the servers are idle: none used more than 2% of a core over
 * half a second (one clock tick of /proc), or 20 s have passed. A server
 * just out of its load goes on working on the same core for a moment (its
 * last requests, its collections), and that work would land in the next
 * server's fixed-rate latencies.
 */
async function settle(pids) {
  const slice = 0.5
  const deadline = Date.now() + 20000
  while (Date.now() < deadline) {
    const before = pids.map(cpuTime)
    await new Promise((resolve) => setTimeout(resolve, slice * 1000))
    const busy = pids.map((pid, index) => cpuTime(pid) - before[index])
    if (busy.every((seconds) => !(seconds > 0.02 * slice))) return
  }
}

function round2(value) {
  return Math.round(value * 100) / 100
}

module.exports = { CONNECTIONS, PIPELINING, measure, cpuTicks, stealPercent }
