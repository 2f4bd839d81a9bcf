import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import { poll } from '../../support/fleet/index'
import { mainFleet, visitorOf } from '../helpers/fleet'

/**
 * The text of a file once `found` is in it, polled: HAProxy and the
 * instances write their log lines after the response.
 */
async function fileOnceItHas(file: string, found: string) {
  let text = ''
  await poll(`"${found}" in ${file}`, async () => {
    text = readFileSync(file, 'utf8')
    return text.includes(found)
  })
  return text
}

test.group('Fleet · operating it', () => {
  test("HAProxy's stats page, on loopback, shows every instance up", async ({ assert }) => {
    const fleet = mainFleet()

    const csv = await (await fetch(`${fleet.haproxy.statsUrl};csv`)).text()
    const prometheus = await (await fetch(`${fleet.haproxy.statsUrl}metrics`)).text()

    const rows = csv.replace(/^# /, '').trim().split('\n')
    const header = rows[0].split(',')
    const servers = rows
      .slice(1)
      .map((row) => Object.fromEntries(row.split(',').map((v, i) => [header[i], v])))
      .filter((row) => row.pxname === 'app' && row.svname.startsWith('app-'))
    assert.sameMembers(
      servers.map((row) => `${row.svname} ${row.status}`),
      fleet.instances.map((app) => `${app.name} UP`)
    )
    for (const app of fleet.instances) {
      assert.include(
        prometheus,
        `haproxy_server_status{proxy="app",server="${app.name}",state="UP"} 1`
      )
    }
    assert.equal(new URL(fleet.haproxy.statsUrl).hostname, '127.0.0.1')
  })

  test("a request's id is HAProxy's, sent back, and in HAProxy's and the instance's log lines", async ({
    assert,
  }) => {
    const fleet = mainFleet()

    // A page that does not exist: the instance logs a line for it.
    const page = await visitorOf(fleet).get('/no/such/page')

    const id = page.headers.get('x-request-id')!
    assert.equal(page.status, 404)
    // unique-id-format in deploy/haproxy.cfg: hex addresses, ports and time.
    assert.match(id, /^[0-9A-F]+:[0-9A-F]+_[0-9A-F]+:[0-9A-F]+_[0-9A-F]+_[0-9A-F]+:[0-9A-F]+$/)
    await fileOnceItHas(fleet.haproxy.service.logFile, `{${id}}`)
    let line: string | undefined
    await poll(`"${id}" in an instance's log`, async () => {
      line = fleet.instances
        .flatMap((app) => readFileSync(app.logFile, 'utf8').split('\n'))
        .find((row) => row.includes(id))
      return !!line
    })
    assert.include(JSON.parse(line!), { request_id: id, code: 'E_ROUTE_NOT_FOUND', status: 404 })
  })

  test("the app's /metrics answers an instance's own machine, not a visitor through HAProxy", async ({
    assert,
  }) => {
    const fleet = mainFleet()
    const app = fleet.instances[0]

    const direct = await fetch(`http://127.0.0.1:${app.port}/metrics`)
    const proxied = await visitorOf(fleet).get('/metrics')

    assert.equal(direct.status, 200)
    assert.include(
      await direct.text(),
      'http_request_duration_seconds_count{route="health",status="200"}'
    )
    assert.equal(proxied.status, 404)
    assert.notInclude(proxied.html, 'http_request_duration_seconds')
  })
})
