import { test } from '@japa/runner'
import { Visitor, csrfToken } from '../../helpers/visitor'

/**
 * What config/shield.ts promises a browser on every page, read from the
 * responses: the app computes these headers once
 * (app/Services/SecurityHeaders.ts), so a page, a redirect and a form must
 * all still carry them. No `<base>` may send the page's links and forms
 * elsewhere, and forms post to this site only.
 */
const expected = {
  'content-security-policy': /default-src 'self'.*form-action 'self'.*base-uri 'none'/,
  'x-frame-options': /^DENY$/,
  'x-content-type-options': /^nosniff$/,
  'x-dns-prefetch-control': /^on$/,
  'strict-transport-security': /^max-age=\d+; includeSubDomains$/,
}

test.group('Security headers', () => {
  for (const path of ['/', '/language/fr', '/posts/create']) {
    test(`GET ${path} carries the CSP, framing, sniffing and HSTS headers`, async ({ assert }) => {
      const page = await new Visitor().get(path, { followRedirects: false })

      for (const [name, value] of Object.entries(expected)) {
        assert.match(page.headers.get(name) || '', value, name)
      }
    })
  }

  test('two visitors get the same policy, and each form its own CSRF token', async ({ assert }) => {
    const first = await new Visitor().get('/posts/create')
    const second = await new Visitor().get('/posts/create')
    assert.equal(
      first.headers.get('content-security-policy'),
      second.headers.get('content-security-policy')
    )
    assert.notEqual(csrfToken(first.html), csrfToken(second.html))
  })
})
