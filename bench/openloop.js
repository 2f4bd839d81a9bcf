/*
|--------------------------------------------------------------------------
| Open-loop load at a fixed rate
|--------------------------------------------------------------------------
|
| Requests sent on a schedule, `rate` per second, whether or not earlier ones
| have been answered, and each latency counted from the moment the request
| was sent on that schedule (within a timer tick of its due moment), not from
| when a connection was free to carry it. A server that
| falls behind shows it in the latency instead of slowing the load down, as
| it does with autocannon's 50 connections, whose p99 measures their queue
| (coordinated omission). Up to MAX_CONNECTIONS keep-alive connections
| (undici's Pool) carry the requests; a request due while all are busy
| waits in the pool's queue, and that wait is part of its latency.
|
*/

const { fork } = require('node:child_process')
const { Pool } = require('undici')

const MAX_CONNECTIONS = 64
/**
 * The schedule is kept by a timer every TICK_MS, which sends every request
 * due since the last tick, each timed from its own due moment.
 */
const TICK_MS = 1

function percentile(sorted, p) {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/**
 * `scenario` as bench/scenarios.js gives it (headers, requests in turn,
 * expected status). Resolves with the latencies' p50, p99 and max in ms, the
 * rate achieved and the problems seen (other statuses, errors).
 */
async function openLoop(base, scenario, { rate, duration, warmup = 1 }) {
  const pool = new Pool(base, { connections: MAX_CONNECTIONS, pipelining: 1 })
  const latencies = []
  const problems = new Map()
  const note = (problem) => problems.set(problem, (problems.get(problem) || 0) + 1)
  // The first `warmup` seconds open the connections and are not counted.
  const counted = Math.round(rate * warmup)
  const total = counted + Math.round(rate * duration)
  const intervalNs = 1e9 / rate
  const start = process.hrtime.bigint()
  let sent = 0
  let pending = 0
  let finish
  const finished = new Promise((resolve) => (finish = resolve))

  // With `visitors`, request n is visitor n's turn (n modulo their number),
  // and each visitor's requests go through `requests` in order.
  const visitors = scenario.visitors
  function send() {
    const turn = visitors ? Math.floor(sent / visitors.length) : sent
    const { method, path } = scenario.requests[turn % scenario.requests.length]
    const headers = visitors ? visitors[sent % visitors.length] : scenario.headers
    const record = sent >= counted
    const sentAt = process.hrtime.bigint()
    sent++
    pending++
    pool
      .request({ method, path, headers })
      .then(async (response) => {
        await response.body.dump()
        if (String(response.statusCode) !== scenario.expect) note(`HTTP ${response.statusCode}`)
        if (record) latencies.push(Number(process.hrtime.bigint() - sentAt) / 1e6)
      })
      .catch((error) => note(error.code || error.message))
      .finally(() => {
        pending--
        if (sent === total && pending === 0) finish()
      })
  }

  const timer = setInterval(() => {
    const elapsed = process.hrtime.bigint() - start
    while (sent < total && BigInt(Math.round(sent * intervalNs)) <= elapsed) {
      send()
    }
    if (sent === total) clearInterval(timer)
  }, TICK_MS)

  // A server that stops answering must not hang the bench.
  const deadline = setTimeout(finish, (warmup + duration + 5) * 1000)
  await finished
  clearTimeout(deadline)
  clearInterval(timer)
  const elapsedS = Number(process.hrtime.bigint() - start) / 1e9 - warmup
  await pool.destroy()

  const sorted = Float64Array.from(latencies).sort()
  const answered = latencies.length + [...problems.values()].reduce((a, b) => a + b, 0)
  if (sent < total || answered < total - counted) note('unanswered')
  return {
    rate,
    achieved: latencies.length / elapsedS,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    problems: [...problems].map(([problem, count]) => `${count} × ${problem}`),
  }
}

/**
 * The same, in a fresh Node process (which inherits the bench's CPU
 * pinning): the client's own pauses (its garbage collections, with the
 * bench's heap of results and autocannon's histograms behind them) would
 * otherwise count in the server's latency.
 */
function openLoopInChild(base, scenario, options) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    child.once('message', (result) => {
      resolve(result)
      child.disconnect()
    })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the open-loop client exited with ${code}`)))
    child.send({ base, scenario, options })
  })
}

if (require.main === module) {
  process.once('message', async ({ base, scenario, options }) => {
    process.send(await openLoop(base, scenario, options))
  })
}

module.exports = { openLoop, openLoopInChild }
