import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import Redis from '@ioc:Adonis/Addons/Redis'
import {
  driver,
  recordExists,
  sessionCookieName,
  storedBytes,
  storedSession,
  keyCookieName,
} from '../../helpers/session_store'
import { Visitor, appUrl, csrfToken, textOf, visibleText } from '../../helpers/visitor'

function prefix(sessionId: string) {
  return `${sessionId.slice(0, 8)}…`
}

function bytes(count: number) {
  return count.toLocaleString('en')
}

/**
 * The id of the step of the flash demo marked "you are here".
 */
function currentStep(html: string) {
  return html.match(/<li id="flash-step-(\w+)" class="is-current" aria-current="step">/)?.[1]
}

/**
 * What the inspector says about each driver's store.
 */
const notes = {
  cookie: {
    newVisitor: 'Your browser sent no session cookie with this request: you have no session yet.',
    oldRecordGone: (oldId: string) => `The old cookie ${prefix(oldId)} is gone from your browser.`,
  },
  file: {
    newVisitor: 'No file: your session has stored nothing yet.',
    oldRecordGone: (oldId: string) =>
      `The old file tmp/sessions/${prefix(oldId)}.txt no longer holds your session: it only marks the old id as ended.`,
  },
  redis: {
    newVisitor: 'No key: your session has stored nothing yet.',
    oldRecordGone: (oldId: string) =>
      `The old key session:${prefix(oldId)} no longer holds your session: it only marks the old id as ended.`,
  },
  database: {
    newVisitor: 'No row: your session has stored nothing yet.',
    oldRecordGone: (oldId: string) =>
      `The old row ${prefix(oldId)} no longer holds your session: it only marks the old id as ended.`,
  },
}[driver]

/**
 * A visitor who chose a language and opened the inspector once (so the
 * session is stored), the session id, the cookies sent and the stored size
 * before the next request, and the inspector page of that next request.
 */
async function secondInspectorVisit() {
  const visitor = new Visitor()
  await visitor.get('/language/en')
  await visitor.get('/session')
  const sessionId = visitor.sessionId()!
  const sentCookies = new Map(visitor.cookies)
  const stored = await storedBytes(sessionId)
  const page = await visitor.get('/session')
  return { page: page.html, sessionId, sentCookies, stored }
}

/**
 * The size and gauge the inspector shows for a cookie sent with the request.
 */
function assertCookieMeasured(assert: Assert, page: string, row: string, size: number) {
  assert.equal(
    textOf(page, `${row}-size`),
    `${bytes(size)} of 4,096 bytes (${Math.round((size / 4096) * 100)}%)`
  )
  assert.match(page, new RegExp(`<meter min="0" max="4096"[^>]* value="${size}"`))
}

/**
 * The attributes of the element with the given id, by name.
 */
function attributesOf(html: string, id: string) {
  const tag = html.match(new RegExp(`<\\w+\\b[^>]*\\bid="${id}"[^>]*>`))?.[0]
  return tag ? attributes(tag) : undefined
}

function attributes(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/([a-z-]+)="([^"]*)"/g)].map(([, k, v]) => [k, v]))
}

test.group(`Session inspector (${driver} driver)`, () => {
  test('every page links to the inspector, in the visitor language', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')

    for (const path of ['/', '/posts', '/posts/create', '/no-such-page']) {
      const page = await visitor.get(path)
      assert.equal(attributesOf(page.html, 'footer-inspector')?.href, '/session', path)
      assert.equal(textOf(page.html, 'footer-inspector'), 'Inspecteur de session', path)
    }

    const inspector = await visitor.get('/session')
    assert.equal(inspector.status, 200)
    assert.include(inspector.html, '<html lang="fr">')
    assert.include(
      visibleText(inspector.html),
      'Inspecteur de session Ce que contient votre session'
    )
    assert.include(visibleText(inspector.html), 'Vider ma session')
  })

  test('shows the driver and only the first 8 characters of the session id', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const sessionId = visitor.sessionId()!

    const page = await visitor.get('/session')

    assert.equal(textOf(page.html, 'inspector-driver'), driver)
    assert.equal(textOf(page.html, 'inspector-id'), prefix(sessionId))
    assert.notInclude(page.html, sessionId)
    assert.notInclude(page.html, sessionId.slice(0, 9))
  })

  test('names no server unless its operator named it (INSTANCE_NAME)', async ({ assert }) => {
    const page = await new Visitor().get('/session')

    assert.isUndefined(textOf(page.html, 'inspector-instance'))
    assert.notInclude(visibleText(page.html), 'Served by')
  })

  test(`tells a new visitor that looking stores nothing (${driver} driver)`, async ({ assert }) => {
    const visitor = new Visitor()
    const page = await visitor.get('/session')

    assert.include(textOf(page.html, 'storage-none')!, notes.newVisitor)
    assert.include(textOf(page.html, 'inspector-fresh')!, 'No session yet')
    assert.isUndefined(visitor.sessionId(), 'no session cookie')
  })

  test(`shows a new visitor no session id and no request number (${driver} driver)`, async ({
    assert,
  }) => {
    const visitor = new Visitor()
    const first = await visitor.get('/session')
    const reload = await visitor.get('/session')

    for (const page of [first, reload]) {
      assert.isUndefined(textOf(page.html, 'inspector-id'))
      assert.isUndefined(textOf(page.html, 'inspector-request'))
      assert.notInclude(visibleText(page.html), 'of this session')
      assert.notMatch(textOf(page.html, 'inspector-storage')!, /[\w-]{8}…/)
    }
    // Which cookie there is, and why.
    assert.equal(
      textOf(first.html, 'inspector-cookies'),
      'This page sets one cookie, csrf-secret: the CSRF secret, drawn because this page has forms, so that forms sent from another site are refused. It is not a session.'
    )
    assert.include(
      textOf(reload.html, 'inspector-cookies')!,
      'The only cookie this site has set is csrf-secret'
    )
    assert.isUndefined(visitor.sessionId(), 'no session cookie')
  })

  test('shows each session cookie with the cookie driver, measured against the limit', async ({
    assert,
  }) => {
    const { page, sentCookies } = await secondInspectorVisit()

    assert.notExists(textOf(page, 'storage-none'))
    const idCookie = sessionCookieName()
    const languageCookie = keyCookieName('userLanguage')
    assert.isTrue(sentCookies.has(languageCookie))
    const size = (name: string) => `${name}=${sentCookies.get(name)}`.length
    assertCookieMeasured(assert, page, 'cookie-id', size(idCookie))
    assertCookieMeasured(assert, page, 'cookie-key-userLanguage', size(languageCookie))
    assert.include(textOf(page, 'cookie-id')!, idCookie)
    assert.include(textOf(page, 'cookie-key-userLanguage')!, 'the key userLanguage, encrypted')
    const total = [...sentCookies.keys()]
      .filter((name) => name === idCookie || name.startsWith(`${idCookie}.`))
      .reduce((sum, name) => sum + size(name), 0)
    assert.equal(
      textOf(page, 'cookie-total'),
      `${bytes(total)} bytes in all, of the 12,000 the session may take.`
    )
  }).skip(driver !== 'cookie', 'cookie driver only')

  test('shows a long text spread over several cookies', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/en')
    // A failed post keeps the text in the flash messages, over two cookies.
    await visitor.submit('/posts/create', '/posts', { title: 'ab', body: 'x'.repeat(4000) })
    await visitor.post(
      '/posts',
      { title: 'ab', body: 'y'.repeat(4000) },
      { followRedirects: false }
    )

    const page = await visitor.get('/session')

    assert.include(textOf(page.html, 'inspector-storage')!, 'of the key __flash__')
  }).skip(driver !== 'cookie', 'cookie driver only')

  test('shows the session file with the file driver: path, size and age', async ({ assert }) => {
    const { page, sessionId, stored } = await secondInspectorVisit()

    assert.notExists(textOf(page, 'storage-none'))
    assert.equal(textOf(page, 'storage-path'), `tmp/sessions/${prefix(sessionId)}.txt`)
    assert.equal(textOf(page, 'storage-size'), `${bytes(stored)} bytes`)
    assert.match(textOf(page, 'storage-age')!, /^last written \d+ seconds? ago$/)
  }).skip(driver !== 'file', 'file driver only')

  test('shows the Redis key with the redis driver: TTL left and size', async ({ assert }) => {
    const { page, sessionId, stored } = await secondInspectorVisit()

    assert.notExists(textOf(page, 'storage-none'))
    assert.equal(textOf(page, 'storage-key'), `session:${prefix(sessionId)}`)
    const ttl = textOf(page, 'storage-ttl')!.match(/^([\d,]+) of 7,200 seconds left$/)
    assert.isNotNull(ttl, textOf(page, 'storage-ttl'))
    assert.closeTo(Number(ttl![1].replace(',', '')), 7200, 5)
    assert.equal(textOf(page, 'storage-size'), `${bytes(stored)} bytes`)
  }).skip(driver !== 'redis', 'redis driver only')

  test('shows the row with the database driver: size and expiry', async ({ assert }) => {
    const { page, sessionId, stored } = await secondInspectorVisit()

    assert.notExists(textOf(page, 'storage-none'))
    assert.equal(textOf(page, 'storage-row'), `sessions · id = ${prefix(sessionId)}`)
    assert.equal(textOf(page, 'storage-size'), `${bytes(stored)} bytes`)
    assert.match(textOf(page, 'storage-expiry')!, /^expires in 1(19|20) minutes$/)
  }).skip(driver !== 'database', 'database driver only')

  test('lists every key and value the session holds, escaped', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/it')
    await visitor.get('/session')

    // A failed form post sends the visitor back with what was typed: those
    // are this request's flash messages.
    const back = await visitor.submit('/session', '/posts', {
      title: '<script>alert(1)</script>',
      body: '',
    })

    assert.deepEqual(back.redirects, ['/session'])
    const values = textOf(back.html, 'session-values')!
    assert.include(values, 'userLanguage "it"')
    assert.include(values, 'inspector { "requests": 3 }')

    const flashed = textOf(back.html, 'flash-messages')!
    assert.include(flashed, '"title": "<script>alert(1)</script>"')
    assert.include(flashed, '"errors": {')
    assert.notInclude(back.html, '<script>alert(1)</script>')
    assert.include(back.html, '&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;')
  })

  test('"Regenerate id" gives a new id and the old record is gone', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/en')
    await visitor.get('/session')
    const oldId = visitor.sessionId()!

    const page = await visitor.submit('/session', '/session/regenerate', {})
    const newId = visitor.sessionId()!

    assert.deepEqual(page.redirects, ['/session#regenerated-heading'])
    assert.notEqual(newId, oldId)
    assert.include(visibleText(page.html), 'Your session has a new id.')
    assert.equal(textOf(page.html, 'regenerated-from'), prefix(oldId))
    assert.equal(textOf(page.html, 'regenerated-to'), prefix(newId))
    assert.equal(textOf(page.html, 'inspector-id'), prefix(newId))
    assert.equal(textOf(page.html, 'regenerated-record'), notes.oldRecordGone(oldId))

    // The values moved to the new id: the request counter goes on.
    assert.equal(textOf(page.html, 'inspector-request'), '#4 of this session')
    assert.isFalse(await recordExists(visitor, oldId))
    assert.isTrue(await recordExists(visitor, newId))

    // Neither the page nor what is stored afterwards gives the whole old id away.
    assert.notInclude(page.html, oldId)
    assert.notInclude(page.html, newId)
    assert.notInclude(JSON.stringify((await storedSession(visitor, newId)).values), oldId)

    const reload = await visitor.get('/session')
    assert.notExists(textOf(reload.html, 'inspector-regenerated'))
  })

  test('"Clear my session" empties it, and the next form still works', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const before = await visitor.get('/session')
    assert.include(textOf(before.html, 'session-values')!, 'userLanguage "fr"')

    const cleared = await visitor.submit('/session', '/session/clear', {})

    assert.deepEqual(cleared.redirects, ['/session#flash-success'])
    assert.include(cleared.html, '<html lang="en">')
    assert.include(
      visibleText(cleared.html),
      'Your session was cleared. Your language was stored in it too, so the site is back to English.'
    )
    const values = textOf(cleared.html, 'session-values')!
    assert.notInclude(values, 'userLanguage')
    assert.include(values, 'inspector { "requests": 1 }')
    assert.equal(textOf(cleared.html, 'inspector-request'), '#1 of this session')

    // The CSRF secret changed with the id; the page after the clear has a token of the new one.
    const next = await visitor.post(
      '/session/flash',
      { _csrf: csrfToken(cleared.html) },
      { headers: { referer: cleared.url } }
    )
    assert.deepEqual(next.redirects, ['/session#flash-current'])
    assert.include(visibleText(next.html), 'Hello from request #2!')
    assert.notInclude(visibleText(next.html), 'Your form had expired')
  })

  test('a flash message: set on request N, shown on N+1, gone on N+2', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    await visitor.get('/language/en')
    await visitor.get('/session')

    // /session is request #2 here, the POST that flashes #3.
    const shown = await visitor.submit('/session', '/session/flash', {})

    assert.deepEqual(shown.redirects, ['/session#flash-current'])
    assert.equal(textOf(shown.html, 'inspector-request'), '#4 of this session')
    assert.equal(
      textOf(shown.html, 'flash-success'),
      'Hello from request #3! This message was flashed and lives for one more request.'
    )
    assert.include(textOf(shown.html, 'flash-messages')!, '"success": "Hello from request #3!')
    assert.equal(currentStep(shown.html), 'shown')
    assert.include(textOf(shown.html, 'flash-step-set')!, 'Request #3 POST /session/flash')

    const next = await visitor.get('/session')

    assert.equal(textOf(next.html, 'inspector-request'), '#5 of this session')
    assert.notInclude(visibleText(next.html), 'Hello from request #3!')
    assert.equal(textOf(next.html, 'flash-messages'), 'No flash messages on this request.')
    assert.equal(currentStep(next.html), 'gone')
  })

  test('reflash keeps a flash message across a second redirect', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/en')
    await visitor.get('/session')

    const page = await visitor.submit('/session', '/session/reflash', {})

    assert.deepEqual(page.redirects, ['/session/relay', '/session#flash-current'])
    assert.equal(textOf(page.html, 'inspector-request'), '#5 of this session')
    assert.include(
      visibleText(page.html),
      'Hello from request #3! This message was flashed, then kept across a second redirect by session.reflash().'
    )
    assert.include(textOf(page.html, 'flash-step-relay')!, 'Request #4 GET /session/relay')
    assert.equal(currentStep(page.html), 'shown')

    const next = await visitor.get('/session')
    assert.notInclude(visibleText(next.html), 'Hello from request #3!')
    assert.equal(currentStep(next.html), 'gone')
  })

  test('the buttons post with a CSRF token and refuse a post without one', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/en')
    const page = await visitor.get('/session')
    for (const action of ['clear', 'regenerate', 'flash', 'reflash']) {
      assert.match(
        page.html,
        new RegExp(
          `<form method="POST" action="/session/${action}">\\s*<input type='hidden' name='_csrf'`
        )
      )
    }
    const sessionId = visitor.sessionId()

    const refused = await visitor.post(
      '/session/regenerate',
      {},
      {
        headers: { referer: `${appUrl()}/session` },
      }
    )

    assert.deepEqual(refused.redirects, ['/session'])
    assert.include(visibleText(refused.html), 'Your form had expired')
    assert.equal(visitor.sessionId(), sessionId)
  })

  test(`with the ${driver} driver, Redis is only used by the redis driver`, async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/en')
    await visitor.submit('/session', '/session/regenerate', {})

    const connected = Redis.activeConnectionsCount > 0
    assert.equal(connected, driver === 'redis')
  })
})
