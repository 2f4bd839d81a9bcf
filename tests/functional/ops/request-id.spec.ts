import { test } from '@japa/runner'
import { AppProcess } from '../../../support/app_process'
import { driver } from '../../helpers/session_store'
import { Visitor, appUrl } from '../../helpers/visitor'

/**
 * The app as production runs it (JSON logs, one line per entry), its output
 * captured: the cookie driver, so that no store is needed.
 */
async function startLoggingApp() {
  const app = await AppProcess.start({ NODE_ENV: 'production', SESSION_DRIVER: 'cookie' })
  let output = ''
  app.child.stdout!.on('data', (chunk) => (output += chunk))
  return {
    app,
    /**
     * The JSON entries logged so far, once one of them matches `found`: a
     * line reaches the test through a pipe, after the response.
     */
    async entriesOnce(found: (entry: any) => boolean, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      let entries: any[] = []
      do {
        entries = output
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line))
        if (entries.some(found)) break
        await new Promise((resolve) => setTimeout(resolve, 20))
      } while (Date.now() < deadline)
      return { entries, raw: output }
    },
  }
}

test.group(`Request ids (${driver} driver)`, () => {
  test('every response carries an id of its own', async ({ assert }) => {
    const visitor = new Visitor()
    const pages = [await visitor.get('/'), await visitor.get('/no/such/page')]
    const css = await fetch(`${appUrl()}/css/app.css`)
    assert.equal(css.status, 200)

    const ids = [
      ...pages.map((page) => page.headers.get('x-request-id')),
      css.headers.get('x-request-id'),
    ]
    for (const id of ids) {
      assert.match(id!, /^[0-9a-f-]{36}$/)
    }
    assert.equal(new Set(ids).size, ids.length)
  })

  test('an id handed in ({name}) is kept only when well-formed')
    .with([
      { name: 'HAProxy', sent: '7F000001:B5A2_7F000001:1F90_6930A1B2_0001:3C9', kept: true },
      { name: '8 KB', sent: 'x'.repeat(8000), kept: false },
      { name: 'spaces', sent: 'id <script>', kept: false },
      { name: 'two ids', sent: 'a, b', kept: false },
    ])
    .run(async ({ assert }, { sent, kept }) => {
      const response = await fetch(`${appUrl()}/`, { headers: { 'x-request-id': sent } })

      const id = response.headers.get('x-request-id')!
      if (kept) {
        assert.equal(id, sent)
      } else {
        assert.match(id, /^[0-9a-f-]{36}$/)
      }
    })

  test('a failed request is logged with its id, and so is an error logged while it runs', async ({
    assert,
  }) => {
    const logging = await startLoggingApp()
    try {
      const { app } = logging
      const hostile = 'x'.repeat(8000)
      const missing = await fetch(`${app.url}/no/such/page`, {
        headers: { 'x-request-id': hostile },
      })
      // A post with no CSRF token: the exception handler logs it.
      const post = await new Visitor(app.url).post(
        '/posts',
        { title: 'No token', body: 'x' },
        { followRedirects: false }
      )
      const missingId = missing.headers.get('x-request-id')!
      const postId = post.headers.get('x-request-id')!

      const { entries, raw } = await logging.entriesOnce(
        (entry) => entry.request_id === postId && entry.code === 'E_BAD_CSRF_TOKEN'
      )

      // One line per failed request: the exception handler's, with the id.
      const missingLines = entries.filter((entry) => entry.request_id === missingId)
      assert.lengthOf(missingLines, 1)
      assert.include(missingLines[0], {
        code: 'E_ROUTE_NOT_FOUND',
        status: 404,
        method: 'GET',
        url: '/no/such/page',
      })
      assert.isTrue(entries.some((e) => e.request_id === postId && e.code === 'E_BAD_CSRF_TOKEN'))
      assert.notInclude(raw, 'xxxxxxxx', 'the hostile id is in the log')
    } finally {
      await logging.app.kill()
    }
  })
})
