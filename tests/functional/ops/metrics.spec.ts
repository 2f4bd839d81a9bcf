import { test } from '@japa/runner'
import { driver } from '../../helpers/session_store'
import { Visitor, appUrl } from '../../helpers/visitor'

/**
 * The value of a sample of /metrics, by its name and labels as printed
 * (`name{a="x",b="y"}`), or undefined when the page has no such sample.
 */
function sample(text: string, name: string, labels: Record<string, string>) {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  const line = text
    .split('\n')
    .find(
      (row) =>
        (row.startsWith(`${name}{`) || row.startsWith(`${name} `)) &&
        wanted.every((pair) => row.slice(name.length, row.indexOf('}') + 1).includes(pair))
    )
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
}

async function scrape(headers: Record<string, string> = {}) {
  const response = await fetch(`${appUrl()}/metrics`, { headers })
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    text: await response.text(),
  }
}

test.group(`Metrics at /metrics (${driver} driver)`, () => {
  test('a scraper on this machine reads the requests by route and status', async ({ assert }) => {
    const before = sample((await scrape()).text, 'http_request_duration_seconds_count', {
      route: 'home',
      status: '200',
    })
    await new Visitor().get('/')

    const metrics = await scrape()

    assert.equal(metrics.status, 200)
    assert.match(metrics.type!, /^text\/plain; version=0\.0\.4/)
    const after = sample(metrics.text, 'http_request_duration_seconds_count', {
      route: 'home',
      status: '200',
    })
    assert.equal(after, (before || 0) + 1)
    assert.isAbove(sample(metrics.text, 'nodejs_eventloop_lag_p99_seconds', {}) ?? -1, 0)
    assert.isDefined(sample(metrics.text, 'process_cpu_seconds_total', {}))
  })

  test('a language switch shows up as store operations of the driver in use')
    .skip(driver === 'cookie', 'the cookie driver keeps the session in the browser: no store')
    .run(async ({ assert }) => {
      const visitor = new Visitor()
      await visitor.get('/language/fr')
      await visitor.get('/')

      const { text } = await scrape()

      for (const kind of ['read', 'commit']) {
        const count = sample(text, 'session_store_operation_duration_seconds_count', {
          driver,
          kind,
        })
        assert.isAbove(count ?? 0, 0, `no ${kind} of the ${driver} driver in /metrics`)
      }
    })

  test('a request that came through a proxy ({name}) gets the 404 page')
    .with<{ name: string; headers: Record<string, string> }[]>([
      { name: 'X-Forwarded-For', headers: { 'x-forwarded-for': '203.0.113.9' } },
      { name: 'X-Forwarded-For of loopback', headers: { 'x-forwarded-for': '127.0.0.1' } },
      { name: 'Forwarded', headers: { forwarded: 'for=203.0.113.9;proto=https' } },
    ])
    .run(async ({ assert }, { headers }) => {
      const page = await scrape({ ...headers, accept: 'text/html' })

      assert.equal(page.status, 404)
      assert.notInclude(page.text, 'http_request_duration_seconds')
      assert.include(page.text, '<html')
    })
})
