/*
|--------------------------------------------------------------------------
| Scenarios
|--------------------------------------------------------------------------
|
| What autocannon sends for each scenario, prepared with a visitor that
| first checks that the server really goes through the session:
|
|   floor      a route that does (nearly) nothing: the floor of the framework
|              (what it is for each server: FLOOR in bench/run.js)
|   returning  GET / with the cookies of a visitor who has chosen French
|   new        GET / with no cookie: a first visit, which stores nothing
|              and so gets no session and no cookie
|   switch     GET /language/it and /language/fr in turn, every request
|              changing the stored language (302 to /): each of the 50
|              connections is a visitor of its own, as when many visitors
|              switch
|   switch-one the same with one visitor's cookies on all 50 connections:
|              50 parallel changes of one session, which the app merges
|              one after the other (not run unless asked for)
|
*/

const SCENARIOS = ['floor', 'returning', 'new', 'switch']
const ALL_SCENARIOS = [...SCENARIOS, 'switch-one']

/**
 * How many visitors the switch case spreads over: one per connection of the
 * load (autocannon's 50; the open-loop client takes them in turn).
 */
const SWITCH_VISITORS = 50

/**
 * The bench's servers say https in X-Forwarded-Proto, so their cookies stay
 * `Secure` as in production.
 */
const HEADERS = { 'x-forwarded-proto': 'https' }

/**
 * A visitor's cookies, kept the way a browser keeps them; redirects are not
 * followed. The names are those of the tests' Visitor
 * (tests/helpers/visitor.ts), which plain Node cannot load: it is TypeScript
 * and reads the app's Env through the IoC container.
 */
class Visitor {
  constructor(baseUrl) {
    this.baseUrl = baseUrl
    this.cookies = new Map()
  }

  cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async get(path) {
    const headers = { ...HEADERS }
    if (this.cookies.size) headers.cookie = this.cookieHeader()
    const response = await fetch(new URL(path, this.baseUrl), { headers, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim())
      const name = pair.slice(0, pair.indexOf('='))
      const expired = attributes.some((a) => /^max-age=(0|-)/i.test(a))
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, pair.slice(name.length + 1))
    }
    return { status: response.status, headers: response.headers, html: await response.text() }
  }
}

function currentLanguage(html) {
  const match = html.match(/id="current-language">([\s\S]*?)<\/p>/)
  return match ? match[1].trim() : null
}

function check(condition, message) {
  if (!condition) throw new Error(message)
}

/**
 * Checks each scenario on the server at `base` and returns the home page a
 * returning visitor gets, and the scenarios as autocannon takes them.
 * `measured`: the scenarios that will run; a new visitor's check (no cookie
 * for one who stores nothing) applies only when `new` is among them, so that
 * bench/ab.js can measure the others on commits older than that rule.
 * `floorPath`: the floor's route on this server (none: no floor).
 * `storesNothing: false`: a server that gives a new visitor a session anyway
 * (stock @adonisjs/session, whose Shield keeps its CSRF secret there).
 */
async function prepareScenarios(
  label,
  base,
  measured = SCENARIOS,
  { floorPath = null, storesNothing = true } = {}
) {
  const returning = new Visitor(base)
  const set = await returning.get('/language/fr')
  check(set.status === 302, `${label}: GET /language/fr answered ${set.status}`)
  check(returning.cookies.size > 0, `${label}: GET /language/fr set no cookie`)
  const page = await returning.get('/')
  check(page.status === 200, `${label}: GET / answered ${page.status}`)
  check(
    /\(fr\)/.test(currentLanguage(page.html) || ''),
    `${label}: a returning visitor does not get French back: ${currentLanguage(page.html)}`
  )

  if (measured.includes('new')) {
    const fresh = await new Visitor(base).get('/')
    check(fresh.status === 200, `${label}: GET / (new visitor) answered ${fresh.status}`)
    // The app keeps no session for a visitor who stored nothing (and so sets
    // no cookie); the Fastify and Express peers are configured to do the same.
    check(
      !storesNothing || fresh.headers.getSetCookie().length === 0,
      `${label}: a new visitor who stored nothing got a cookie: ${fresh.headers.getSetCookie()}`
    )
  }

  const switchers = []
  for (let i = 0; i < SWITCH_VISITORS; i++) {
    const visitor = new Visitor(base)
    const chosen = await visitor.get('/language/fr')
    check(chosen.status === 302, `${label}: GET /language/fr answered ${chosen.status}`)
    switchers.push(visitor.cookieHeader())
  }
  const switcher = new Visitor(base)
  await switcher.get('/language/fr')
  const switchCookies = switcher.cookieHeader()
  const switched = await switcher.get('/language/it')
  check(switched.status === 302, `${label}: GET /language/it answered ${switched.status}`)
  const after = await switcher.get('/')
  check(
    /\(it\)/.test(currentLanguage(after.html) || ''),
    `${label}: switching to Italian did not stick: ${currentLanguage(after.html)}`
  )

  if (floorPath && measured.includes('floor')) {
    const floor = await new Visitor(base).get(floorPath)
    check(floor.status === 200, `${label}: GET ${floorPath} answered ${floor.status}`)
  }

  return {
    page: page.html,
    scenarios: {
      ...(floorPath
        ? {
            floor: {
              expect: '200',
              headers: HEADERS,
              requests: [{ method: 'GET', path: floorPath }],
            },
          }
        : {}),
      'returning': {
        expect: '200',
        headers: { ...HEADERS, cookie: returning.cookieHeader() },
        requests: [{ method: 'GET', path: '/' }],
      },
      'new': { expect: '200', headers: HEADERS, requests: [{ method: 'GET', path: '/' }] },
      // Alternates so that every request really changes the language; each
      // connection sends the cookies of one of `visitors`.
      'switch': { ...SWITCH, visitors: switchers.map((cookie) => ({ ...HEADERS, cookie })) },
      'switch-one': { ...SWITCH, headers: { ...HEADERS, cookie: switchCookies } },
    },
  }
}

const SWITCH = {
  expect: '302',
  headers: HEADERS,
  requests: [
    { method: 'GET', path: '/language/it' },
    { method: 'GET', path: '/language/fr' },
  ],
}

/**
 * The scenarios of bare node:http: its page, and "ok" on /floor.
 */
const PAGE = {
  page: { expect: '200', headers: {}, requests: [{ method: 'GET', path: '/' }] },
  floor: { expect: '200', headers: {}, requests: [{ method: 'GET', path: '/floor' }] },
}

module.exports = { SCENARIOS, ALL_SCENARIOS, PAGE, prepareScenarios }
