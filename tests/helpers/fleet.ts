import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { Agent, fetch as undiciFetch } from 'undici'
import type { Suite } from '@japa/runner'
import { startFleet } from '../../support/fleet/index'
import type { Fleet, FleetOptions } from '../../support/fleet/index'
import { Visitor, textOf } from './visitor'
import type { Page } from './visitor'

/**
 * Every fleet of one run of the suite lives in a folder of its own. The
 * logs stay there after the run; the data goes, and so does the folder of
 * any earlier run.
 */
const runs = join(__dirname, '..', '..', 'tmp', 'fleet-test')
const base = join(runs, String(process.pid))
let main: Fleet | undefined

/**
 * The suite posts and starts sessions far more than a visitor would: the
 * limits of the instances (30 writes and 60 new sessions a minute by
 * default) must not answer 429 to it.
 */
const TEST_ENV = { POST_RATE_LIMIT: '1000000', SESSION_RATE_LIMIT: '1000000' }

/**
 * The `fleet` suite starts one fleet for all its files, as `npm run fleet`
 * starts it (three instances, the redis driver, Sentinel), and stops it at
 * the end, whatever happened. Each test that breaks a part repairs it.
 */
export function fleetSuite(suite: Suite) {
  suite.setup(async () => {
    removeFinishedRuns()
    main = await startFleet({ dir: join(base, 'main'), env: TEST_ENV })
    return async () => {
      await main?.stop()
      for (const fleet of readdirSync(base)) {
        for (const data of ['postgres', 'redis']) {
          rmSync(join(base, fleet, data), { recursive: true, force: true })
        }
      }
    }
  })
}

function removeFinishedRuns() {
  for (const pid of existsSync(runs) ? readdirSync(runs) : []) {
    try {
      process.kill(Number(pid), 0)
    } catch {
      rmSync(join(runs, pid), { recursive: true, force: true })
    }
  }
}

export function mainFleet() {
  if (!main) throw new Error('The fleet suite has not started its fleet')
  return main
}

/**
 * Another fleet (another session driver, a Redis Cluster) beside the main
 * one: the same build, the same PostgreSQL, and two instances, enough for
 * a visitor to move between them.
 */
export function startSideFleet(name: string, options: Partial<FleetOptions>) {
  return startFleet({
    dir: join(base, name),
    build: false,
    postgres: mainFleet().postgres,
    instances: 2,
    env: TEST_ENV,
    ...options,
  })
}

const agents = new Map<string, Agent>()

/**
 * A visitor of the fleet over https, trusting the certificate that the
 * fleet made for itself and nothing else.
 */
export function visitorOf(fleet: Fleet) {
  let agent = agents.get(fleet.cert)
  if (!agent) {
    agent = new Agent({ connect: { ca: readFileSync(fleet.cert) } })
    agents.set(fleet.cert, agent)
  }
  const dispatcher = agent
  const fetcher = (url: any, init: any) => undiciFetch(url, { ...init, dispatcher })
  return new Visitor(fleet.url, {}, fetcher as unknown as typeof fetch)
}

/**
 * The instance named by the session inspector.
 */
export function instanceOf(html: string) {
  return textOf(html, 'inspector-instance')
}

/**
 * The language of the page, from `<html lang>`.
 */
export function languageOf(html: string) {
  return html.match(/<html lang="(\w+)"/)?.[1]
}

/**
 * How many success messages (the flash partial) the page shows.
 */
export function successMessages(html: string) {
  return html.split('class="flash flash-success"').length - 1
}

/**
 * A request that may fail, and how long it took: its status, or 0 for one
 * that got no answer at all, or none within `timeoutMs` (a hang).
 */
export async function attempt(request: () => Promise<Page>, timeoutMs = 5000) {
  const started = Date.now()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    const page = await Promise.race([request(), timeout])
    return { status: page.status, html: page.html, ms: Date.now() - started }
  } catch (error) {
    return { status: 0, html: '', error: String(error), ms: Date.now() - started }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * A measured figure, printed with the test output for the closing report.
 */
export function figure(name: string, value: string | number) {
  process.stdout.write(`      [figure] ${name}: ${value}\n`)
}

/**
 * Resolves once HAProxy has `count` requests in flight on the instance
 * `name` (sent to it, not answered yet).
 */
export async function inFlight(fleet: Fleet, name: string, count: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const server = (await fleet.haproxy.servers()).find((s) => s.name === name)
    if (server && server.sessions >= count) return
    if (Date.now() > deadline) {
      throw new Error(`${name} never had ${count} requests in flight (${server?.sessions})`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
