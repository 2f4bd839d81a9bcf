import { test } from '@japa/runner'
import { AppProcess } from '../../../support/app_process'
import { requestFrom } from '../../helpers/security'
import type { RawResponse } from '../../helpers/security'
import { driver, sessionCookieName, storedSessionCount } from '../../helpers/session_store'
import { appUrl, visibleText } from '../../helpers/visitor'

const SWITCHES = 1500

/**
 * Whether the response gave the visitor a session: it set the id cookie.
 * With the cookie driver that is the whole session; with the others the
 * store holds a record for it too.
 */
function startsSession(response: RawResponse) {
  const lines = response.headers['set-cookie'] || []
  return lines.some(
    (line) => line.startsWith(`${sessionCookieName()}=`) && !/Max-Age=0/i.test(line)
  )
}

/**
 * Sends `count` requests, `parallel` at a time, and returns the responses.
 */
async function flood(count: number, parallel: number, send: () => Promise<RawResponse>) {
  const responses: RawResponse[] = []
  let sent = 0
  const worker = async () => {
    while (sent < count) {
      sent++
      responses.push(await send())
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker))
  return responses
}

test.group(`Security: cookie-less visitors cannot flood the store (${driver} driver)`, () => {
  test('an unsupported language from a visitor without a session gets the 404 page and no session', async ({
    assert,
  }) => {
    const before = await storedSessionCount()

    const responses = await Promise.all(
      ['xx', 'de', 'zh-hans', 'en-gb'].map((name) =>
        requestFrom('127.0.0.1', `${appUrl()}/language/${name}`, {
          headers: { accept: 'text/html' },
        })
      )
    )

    for (const response of responses) {
      assert.equal(response.status, 404)
      assert.include(visibleText(response.body), 'Unsupported language')
      assert.include(visibleText(response.body), 'Your choice was not stored.')
      assert.isUndefined(response.headers['set-cookie'])
    }
    assert.equal(await storedSessionCount(), before, 'no record is created')
  })
})

test.group(`Security: new sessions are limited per client address (${driver} driver)`, (group) => {
  let app: AppProcess

  group.setup(async () => {
    // An app of its own with the default limit (the suite's server has one
    // no test reaches), on the suite's store, where the records are counted.
    app = await AppProcess.start({ SESSION_RATE_LIMIT: '60', SESSION_RATE_WINDOW: '60' })
    return () => app.kill()
  })

  test(`${SWITCHES} cookie-less language switches from one address start at most 120 sessions`, async ({
    assert,
  }) => {
    const before = await storedSessionCount()

    // 127.0.0.3: an address no other test uses, so the count starts at 0.
    const responses = await flood(SWITCHES, 8, () =>
      requestFrom('127.0.0.3', `${app.url}/language/fr`, { headers: { accept: 'text/html' } })
    )

    const started = responses.filter(startsSession)
    const refused = responses.filter((response) => response.status === 429)
    assert.isAtMost(started.length, 120, `${started.length} sessions started`)
    assert.isAtLeast(started.length, 1, 'a visitor within the limit still gets a session')
    assert.equal(started.length + refused.length, SWITCHES)
    if (driver !== 'cookie') {
      const records = (await storedSessionCount()) - before
      assert.isAtMost(records, 120, `${records} records created`)
      assert.isAtLeast(records, started.length)
    }

    const page = refused[refused.length - 1]
    assert.include(visibleText(page.body), 'Too many requests')
    assert.include(visibleText(page.body), 'nothing was stored')
    const retryAfter = Number(page.headers['retry-after'])
    assert.isAtLeast(retryAfter, 1)
    assert.isAtMost(retryAfter, 60)
    assert.isUndefined(page.headers['set-cookie'])

    const other = await requestFrom('127.0.0.4', `${app.url}/language/fr`)
    assert.equal(other.status, 302, 'another address has a limit of its own')
  })
})
