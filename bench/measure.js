/*
|--------------------------------------------------------------------------
| Measurement
|--------------------------------------------------------------------------
|
| Load with autocannon, and what the server process spent doing it: CPU time
| per request and its memory (RSS) at the end of a case.
|
*/

const { spawnSync } = require('node:child_process')
const { readFileSync } = require('node:fs')
const autocannon = require('autocannon')

const CONNECTIONS = 50
const PIPELINING = 1

function load(base, scenario, duration) {
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
 * Runs the given targets (`{ target, driver, pid, base, scenarios }`) on one
 * scenario: a warm-up each (none with `warmup: 0`), then the rounds taken in turn, so that a change
 * in the machine's load hits them alike. One case per target: the medians of
 * its rounds, and its RSS after the last one.
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
      const result = await load(target.base, scenario, options.duration)
      const cpu = cpuTime(target.pid) - cpuBefore
      rounds[index].push({
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        cpuUs: result.requests.total ? (cpu * 1e6) / result.requests.total : 0,
        problems: problems(result, scenario.expect),
      })
    }
  }
  return targets.map((target, index) => {
    const failures = rounds[index].flatMap((r) => r.problems)
    const of = (key) => median(rounds[index].map((r) => r[key]))
    return {
      target: target.target,
      driver: target.driver,
      scenario: target.driver ? scenarioName : null,
      rps: Math.round(of('rps')),
      p50: of('p50'),
      p99: of('p99'),
      cpuUs: Math.round(of('cpuUs')),
      rssMb: rssMb(target.pid),
      ...(failures.length ? { failed: failures.join(', ') } : {}),
    }
  })
}

module.exports = { CONNECTIONS, PIPELINING, measure }
