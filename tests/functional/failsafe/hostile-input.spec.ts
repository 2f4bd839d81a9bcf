import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import { ITALIAN, currentLanguage } from '../../helpers/language'
import { driver } from '../../helpers/session_store'
import { Visitor, appUrl, csrfToken, visibleText } from '../../helpers/visitor'
import type { Page } from '../../helpers/visitor'

type Row = {
  name: string
  send: (visitor: Visitor, token: string) => Promise<Page>
  /** The status the visitor ends on. */
  status: number
  /** Text the visitor reads on that page. */
  shows?: string
  /** The path the visitor ends on, after redirects. */
  endsOn?: string
  /** Title of the post it saves: only rows with a valid token may save one. */
  saves?: string
}

const form = (visitor: Visitor, fields: Record<string, string | string[]>) =>
  visitor.post('/posts', fields, { headers: { referer: `${appUrl()}/posts/create` } })

const json = (visitor: Visitor, body: string, method = 'POST') =>
  visitor.request(method, '/posts', {
    body,
    headers: { 'content-type': 'application/json', 'referer': `${appUrl()}/posts/create` },
  })

const withReferer = (referer: string) => (visitor: Visitor) =>
  visitor.get('/language/it', { headers: { referer } })

const language = (name: string): Row => ({
  name: `language name ${name.length > 40 ? `${name.slice(0, 20)}… (${name.length})` : name}`,
  send: (visitor) => visitor.get(`/language/${name}`),
  status: 200,
  shows: 'Lingua non supportata',
  endsOn: '/',
})

const SCRIPT = '<script>alert(1)</script>'
const IMG = '<img src=x onerror=alert(1)>'
const CSRF_EXPIRED = 'Il modulo era scaduto, quindi non è stato salvato nulla.'
const DEEP = '['.repeat(5000) + ']'.repeat(5000)

/**
 * What a hostile or broken client may send, and what the visitor must see.
 */
const rows: Row[] = [
  language('x'.repeat(5000)),
  language(encodeURIComponent('日本語')),
  language(encodeURIComponent('fr\u0001\u001b[31m')),
  language('%00'),
  language('..%2F..%2F..%2Fetc%2Fpasswd'),
  language(encodeURIComponent(SCRIPT)),
  language('__proto__'),
  language('constructor'),
  language('hasOwnProperty'),
  language('%20it'),
  language('%E0%A4%A'),
  {
    name: 'language path traversal past the route',
    send: (visitor) => visitor.get('/language/../../etc/passwd'),
    status: 404,
    shows: 'Pagina non trovata',
  },

  {
    name: 'Referer of another site',
    send: withReferer('https://evil.example/x'),
    status: 200,
    endsOn: '/',
  },
  {
    name: 'Referer javascript:',
    send: withReferer('javascript:alert(1)'),
    status: 200,
    endsOn: '/',
  },
  {
    name: 'Referer data: URL',
    send: withReferer(`data:text/html,${SCRIPT}`),
    status: 200,
    endsOn: '/',
  },
  {
    name: 'Referer protocol-relative',
    send: withReferer('//evil.example/x'),
    status: 200,
    endsOn: '/',
  },
  {
    name: 'Referer with a double slash path',
    send: withReferer(`${appUrl()}//evil.example/x`),
    status: 200,
    endsOn: '/',
  },
  { name: 'Referer of 6 KB', send: withReferer(`${appUrl()}/${'a'.repeat(6000)}`), status: 404 },

  {
    name: 'title and body with script and HTML',
    send: (visitor, token) => form(visitor, { _csrf: token, title: SCRIPT, body: IMG }),
    status: 200,
    endsOn: '/posts',
    saves: SCRIPT,
  },
  {
    name: 'title with a NUL byte',
    send: (visitor, token) => form(visitor, { _csrf: token, title: 'NUL\u0000byte', body: 'x' }),
    status: 200,
    endsOn: '/posts',
    saves: 'NUL\u0000byte',
  },
  {
    name: 'title as an array',
    send: (visitor, token) => form(visitor, { _csrf: token, title: ['one', 'two'], body: 'x' }),
    status: 200,
    endsOn: '/posts/create',
  },
  {
    name: 'title as an object',
    send: (visitor, token) => form(visitor, { '_csrf': token, 'title[a]': 'x', 'body': 'x' }),
    status: 200,
    endsOn: '/posts/create',
  },
  {
    name: 'body as an array of objects',
    send: (visitor, token) =>
      form(visitor, { '_csrf': token, 'title': 'Array body', 'body[0][x]': SCRIPT }),
    status: 200,
    endsOn: '/posts/create',
  },
  {
    name: 'prototype keys in a form',
    send: (visitor, token) =>
      form(visitor, { '_csrf': token, '__proto__[polluted]': 'yes', 'title': 'ab', 'body': 'x' }),
    status: 200,
    endsOn: '/posts/create',
  },
  {
    name: 'a 2 MB form body',
    send: (visitor, token) =>
      visitor.request('POST', '/posts', {
        body: `_csrf=${token}&title=Huge&body=${'a'.repeat(2 * 1024 * 1024)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    status: 413,
    shows: 'Richiesta troppo grande',
  },
  // The app reads forms only: a JSON body is refused unread, token or not.
  ...[
    [
      'a JSON body with a valid token',
      (token: string) => JSON.stringify({ _csrf: token, title: 'Sent as JSON', body: 'x' }),
    ],
    [
      'a JSON body with __proto__',
      (token: string) =>
        `{"_csrf":"${token}","__proto__":{"polluted":"yes"},"title":"ab","body":"x"}`,
    ],
    ['JSON nested 5,000 levels deep', (token: string) => `{"_csrf":"${token}","title":${DEEP}}`],
    ['JSON nested 5,000 levels deep without a token', () => `{"errors":${DEEP},"title":${DEEP}}`],
    ['malformed JSON', () => '{"title": "Broken", '],
    [
      'a 2 MB JSON body',
      (token: string) =>
        JSON.stringify({ _csrf: token, title: 'Huge', body: 'a'.repeat(2 * 1024 * 1024) }),
    ],
  ].map(([name, body]: [string, (token: string) => string]): Row => ({
    name,
    send: (visitor, token) => json(visitor, body(token)),
    status: 415,
    shows: 'Formato dei dati non supportato',
  })),
  {
    name: 'a 20 KB Cookie header',
    send: (visitor) => {
      const heavy = new Visitor()
      heavy.cookies = new Map([...visitor.cookies, ['junk', 'a'.repeat(20 * 1024)]])
      return heavy.get('/')
    },
    status: 431,
    shows: 'Request headers too large',
  },
  {
    name: 'post without a CSRF token',
    send: (visitor) => form(visitor, { title: 'No token', body: 'x' }),
    status: 200,
    endsOn: '/posts/create',
    shows: CSRF_EXPIRED,
  },
  {
    name: 'post with a wrong CSRF token',
    send: (visitor) => form(visitor, { _csrf: 'forged', title: 'Wrong token', body: 'x' }),
    status: 200,
    endsOn: '/posts/create',
    shows: CSRF_EXPIRED,
  },
  {
    name: 'post with the CSRF token of another session',
    send: async (visitor) => {
      const stolen = csrfToken((await new Visitor().get('/posts/create')).html)
      return form(visitor, { _csrf: stolen, title: 'Stolen token', body: 'x' })
    },
    status: 200,
    endsOn: '/posts/create',
    shows: CSRF_EXPIRED,
  },
  {
    name: 'post with the CSRF token as an array',
    send: (visitor, token) =>
      form(visitor, { _csrf: [token, token], title: 'Array token', body: 'x' }),
    status: 200,
    endsOn: '/posts/create',
    shows: CSRF_EXPIRED,
  },
  {
    name: 'post with a wrong X-CSRF-Token header',
    send: (visitor) =>
      visitor.post(
        '/posts',
        { title: 'Header token', body: 'x' },
        { headers: { 'x-csrf-token': 'x' } }
      ),
    status: 200,
    shows: CSRF_EXPIRED,
  },
  {
    name: 'multipart post without a token',
    send: (visitor) => {
      const body = new FormData()
      body.set('title', 'Multipart')
      body.set('body', 'x')
      return fetch(`${appUrl()}/posts`, {
        method: 'POST',
        body,
        headers: { cookie: visitor.cookieHeader(), accept: 'text/html' },
        redirect: 'manual',
      }).then(async (response) => ({
        status: response.status,
        url: response.url,
        headers: response.headers,
        html: await response.text(),
        redirects: [],
      }))
    },
    status: 415,
    shows: 'Formato dei dati non supportato',
  },
  {
    name: 'text/plain post without a token',
    send: (visitor) =>
      visitor.request('POST', '/posts', {
        body: 'title=Plain&body=x',
        headers: { 'content-type': 'text/plain' },
      }),
    status: 415,
    shows: 'Formato dei dati non supportato',
  },
  {
    name: 'method override in the query string',
    send: (visitor) => visitor.post('/posts?_method=DELETE', { title: 'Override', body: 'x' }),
    status: 200,
    shows: CSRF_EXPIRED,
  },
  ...['PUT', 'DELETE', 'PATCH'].map((method): Row => ({
    name: `${method} /posts with a valid token`,
    send: (visitor, token) =>
      visitor.request(method, '/posts', {
        form: { _csrf: token, title: `${method} post`, body: 'x' },
      }),
    status: 404,
    shows: 'Pagina non trovata',
  })),
  {
    name: 'unknown route',
    send: (visitor) => visitor.get('/admin'),
    status: 404,
    shows: 'Pagina non trovata',
  },
  {
    name: 'unknown route with script in the path',
    send: (visitor) => visitor.get(`/${encodeURIComponent(SCRIPT)}`),
    status: 404,
    shows: 'Pagina non trovata',
  },
  {
    name: 'unknown route by POST',
    send: (visitor, token) => visitor.post('/nope', { _csrf: token }),
    status: 404,
    shows: 'Pagina non trovata',
  },
  {
    name: 'script in the query string of the form',
    send: (visitor) => visitor.get(`/posts/create?title=${encodeURIComponent(SCRIPT)}`),
    status: 200,
  },
]

/**
 * Each row, sent by a visitor whose stored language is Italian: no 5xx, no
 * raw script, no stack trace, nothing saved without a valid token, and the
 * language stays.
 */
test.group(`Hostile input (${driver} driver)`, (group) => {
  group.each.setup(async () => {
    await Database.from('posts').delete()
  })

  test('{name}')
    .with(rows)
    .run(async ({ assert }, row) => {
      const visitor = new Visitor()
      await visitor.get('/language/it')
      const token = csrfToken((await visitor.get('/posts/create')).html)

      const page = await row.send(visitor, token)

      assert.equal(page.status, row.status, 'status')
      if (row.shows) {
        assert.include(visibleText(page.html), row.shows)
      }
      if (row.endsOn) {
        assert.equal(new URL(page.url).pathname, row.endsOn, 'the page it ends on')
      }
      assert.notInclude(page.html, SCRIPT, 'echoes raw HTML')
      assert.notInclude(page.html, IMG, 'echoes raw HTML')
      // The CSRF token is random base64url: it can spell E_ABCDEF.
      assert.notMatch(
        page.html.replace(/name='_csrf' value='[^']*'/g, ''),
        /node_modules|at \S+ \([^)]*:\d+:\d+\)|E_[A-Z_]{6,}/,
        'shows a stack trace or an error code'
      )
      for (const location of page.redirects) {
        assert.match(location, /^\/(?!\/)/, `redirects off the site to ${location}`)
      }

      const home = await visitor.get('/')
      assert.equal(currentLanguage(home.html), ITALIAN, 'keeps the language')
      const saved = await Database.from('posts').select('title')
      assert.deepEqual(
        saved.map(({ title }) => title),
        row.saves ? [row.saves] : [],
        'only a post with a valid token is saved'
      )
      assert.isUndefined(({} as any).polluted)
    })
})
