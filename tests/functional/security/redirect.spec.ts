import { test } from '@japa/runner'
import SessionStore from 'App/Services/SessionStore'
import { Visitor, appUrl, csrfToken } from '../../helpers/visitor'

/**
 * Referers that point off the site once a browser reads them: a backslash
 * is a slash in an http URL, so `/\evil.example` is `//evil.example`.
 */
const referers = [
  { name: 'a backslash path', referer: () => `${appUrl()}/\\evil.example` },
  { name: 'a double slash path', referer: () => `${appUrl()}//evil.example/x` },
  { name: 'another site', referer: () => 'https://evil.example/form' },
]

test.group(
  `Security: every redirect back stays on the site (${SessionStore.driver} driver)`,
  () => {
    test('a failed validation with the Referer {name} redirects to /')
      .with(referers)
      .run(async ({ assert }, { referer }) => {
        const visitor = new Visitor()
        const token = csrfToken((await visitor.get('/posts/create')).html)

        const page = await visitor.post(
          '/posts',
          { _csrf: token, title: 'ab' },
          { headers: { referer: referer() }, followRedirects: false }
        )

        assert.equal(page.status, 302)
        assert.equal(page.headers.get('location'), '/')
      })

    test('a post without a token with the Referer {name} redirects to /')
      .with(referers)
      .run(async ({ assert }, { referer }) => {
        const visitor = new Visitor()
        await visitor.get('/posts/create')

        const page = await visitor.post(
          '/posts',
          { title: 'ab' },
          { headers: { referer: referer() }, followRedirects: false }
        )

        assert.equal(page.headers.get('location'), '/')
      })

    test('a failed validation from the form goes back to the form', async ({ assert }) => {
      const visitor = new Visitor()
      const page = await visitor.submit('/posts/create', '/posts', { title: 'ab' })

      assert.deepEqual(page.redirects, ['/posts/create'])
    })
  }
)
