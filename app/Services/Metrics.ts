import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { StoreOperation } from '../../providers/SessionDriver'

/**
 * The app's metrics, in one registry of its own, for /metrics to print in
 * Prometheus's text format. The process's own metrics come with it
 * (collectDefaultMetrics): CPU, memory, heap, GC, handles, and the event
 * loop's delay (`nodejs_eventloop_lag_*`, from perf_hooks'
 * monitorEventLoopDelay).
 */
export const registry = new Registry()
collectDefaultMetrics({ register: registry })

/**
 * From 1 ms to 2.5 s: a page answers in a few milliseconds, a store that
 * stalls takes its 2 s timeout.
 */
const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

const requestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time from the first server hook to the end of the last, by route name and status',
  labelNames: ['route', 'status'] as const,
  buckets: SECONDS,
  registers: [registry],
})

const storeDuration = new Histogram({
  name: 'session_store_operation_duration_seconds',
  help: 'Session store operations (read, commit) by driver, failed ones included',
  labelNames: ['driver', 'kind'] as const,
  buckets: SECONDS,
  registers: [registry],
})

const storeRetries = new Counter({
  name: 'session_store_cas_retries_total',
  help: 'Compare-and-set retries of session commits (the record changed meanwhile)',
  labelNames: ['driver', 'kind'] as const,
  registers: [registry],
})

const storeLockWait = new Counter({
  name: 'session_store_lock_wait_seconds_total',
  help: 'Time session operations waited for a lock held by another request',
  labelNames: ['driver', 'kind'] as const,
  registers: [registry],
})

const storeLockWaits = new Counter({
  name: 'session_store_lock_waits_total',
  help: 'Session operations that waited for a lock held by another request',
  labelNames: ['driver', 'kind'] as const,
  registers: [registry],
})

const storeErrors = new Counter({
  name: 'session_store_errors_total',
  help: 'Session store operations that failed (the visitor got the 503 page)',
  labelNames: ['driver', 'kind'] as const,
  registers: [registry],
})

const unavailable = new Counter({
  name: 'http_unavailable_total',
  help: '503 answers by cause: the error code that made them',
  labelNames: ['cause'] as const,
  registers: [registry],
})

/**
 * Label sets are few (routes × statuses), so each gets its child once: an
 * observation is then one hash lookup and one bucket.
 */
const requestChildren = new Map<string, ReturnType<typeof requestDuration.labels>>()

/**
 * Records a request that took `seconds`. `route` is the route's name, or
 * `none` when no route matched (a 404, a static file): a label per URL
 * would let any visitor grow the registry without bound.
 */
export function recordRequest(route: string, status: number, seconds: number) {
  const key = `${route} ${status}`
  let child = requestChildren.get(key)
  if (!child) {
    child = requestDuration.labels(route, String(status))
    requestChildren.set(key, child)
  }
  child.observe(seconds)
}

/**
 * Records one session store operation: the shape of the drivers'
 * `onStoreOperation` option, so it is passed to them as is.
 */
export function recordStoreOperation(op: StoreOperation) {
  const labels = storeLabels(op)
  storeDuration.observe(labels, op.ms / 1000)
  if (op.retries) {
    storeRetries.inc(labels, op.retries)
  }
  if (op.lockWaitMs) {
    storeLockWaits.inc(labels)
    storeLockWait.inc(labels, op.lockWaitMs / 1000)
  }
  if (op.error) {
    storeErrors.inc(labels)
  }
}

/**
 * One label object per driver and kind, made once: prom-client reads it on
 * every observation, and a new object per store operation is garbage.
 */
const storeLabelSets = new Map<string, { driver: string; kind: string }>()

function storeLabels({ driver, kind }: StoreOperation) {
  const key = `${driver} ${kind}`
  let labels = storeLabelSets.get(key)
  if (!labels) {
    labels = { driver, kind }
    storeLabelSets.set(key, labels)
  }
  return labels
}

/**
 * Counts a 503 answer and what made it, the error's code:
 * `E_SESSION_STORE_UNAVAILABLE`, `E_DATABASE_UNAVAILABLE`. For the
 * exception handler, which alone sees the error. (A /health that finds the
 * store down is `http_request_duration_seconds{route="health",status="503"}`.)
 */
export function recordUnavailable(cause: string) {
  unavailable.inc({ cause })
}

/**
 * The metrics in Prometheus's text format, with their content type.
 */
export async function metricsText() {
  return { contentType: registry.contentType, body: await registry.metrics() }
}
