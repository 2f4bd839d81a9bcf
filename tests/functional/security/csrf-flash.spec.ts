import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import SessionStore from 'App/Services/SessionStore'
import { storedBytes } from '../../helpers/security'
import { Visitor, appUrl, visibleText } from '../../helpers/visitor'
import type { Page } from '../../helpers/visitor'

// Three of these make a post of 1 MB, far over the body parser's limit: a
// post without a CSRF secret is refused before its body is read.
const BIG_THIRD = 'a'.repeat(340 * 1024)
// Three of these make a post just under the body parser's 64 KB limit.
const THIRD = 'a'.repeat(20 * 1024)
const PRIZE = 'Call +1-555-0100 to claim your prize'

/**
 * A page on another site that auto-submits a form to /posts: no CSRF token,
 * and the Referer of that site. An attacker's script need not follow the
 * redirect (which would use up the flash messages).
 */
const crossSitePost = (visitor: Visitor, fields: Record<string, string>, followRedirects = true) =>
  visitor.post('/posts', fields, {
    headers: { referer: 'https://evil.example/prize' },
    followRedirects,
  })

test.group(
  `Security: a post with a bad token stores nothing (${SessionStore.driver} driver)`,
  (group) => {
    group.each.setup(async () => {
      await Database.from('posts').delete()
    })

    test('20 cookie-less posts of 1 MB each store under 1 KB each and get the 403 page', async ({
      assert,
    }) => {
      const before = await storedBytes()
      let cookies = 0
      const pages: Page[] = []

      for (let i = 0; i < 20; i++) {
        const visitor = new Visitor()
        const fields = { title: BIG_THIRD, body: BIG_THIRD, note: BIG_THIRD }
        pages.push(await crossSitePost(visitor, fields, false))
        cookies += visitor.cookieHeader().length
      }

      const stored = (await storedBytes()) - before + cookies
      assert.isBelow(stored, 20 * 1024, `${stored} bytes stored for 20 posts`)
      for (const page of pages) {
        assert.equal(page.status, 403)
        assert.include(visibleText(page.html), 'Request refused')
      }
      assert.lengthOf(await Database.from('posts'), 0)
    })

    test('a visitor with a session gets back only the form fields, cut to their limits', async ({
      assert,
    }) => {
      const visitor = new Visitor()
      await visitor.get('/posts/create')
      const before = (await storedBytes()) + visitor.cookieHeader().length

      const page = await visitor.post(
        '/posts',
        { title: THIRD, body: THIRD, note: THIRD },
        { headers: { referer: `${appUrl()}/posts/create` } }
      )

      assert.include(visibleText(page.html), 'Your form had expired, so nothing was saved.')
      assert.include(page.html, `value="${'a'.repeat(120)}"`)
      assert.notInclude(page.html, 'a'.repeat(5001))
      const stored = (await storedBytes()) + visitor.cookieHeader().length - before
      assert.isBelow(stored, 8 * 1024, `${stored} bytes stored for a 60 KB post`)
    })
  }
)

test.group(
  `Security: no attacker text in the site's banners (${SessionStore.driver} driver)`,
  () => {
    for (const field of ['success', 'error']) {
      test(`a cross-site post naming the field ${field} shows no attacker text`, async ({
        assert,
      }) => {
        // A visitor of the site, with a session, whose browser sends cookies.
        const visitor = new Visitor()
        await visitor.get('/language/en')

        const page = await crossSitePost(visitor, { [field]: PRIZE, title: 'ab' })
        const home = await visitor.get('/')

        assert.notInclude(page.html, PRIZE)
        assert.notInclude(page.html, 'flash-success')
        assert.include(visibleText(page.html), 'Your form had expired, so nothing was saved.')
        assert.notInclude(home.html, PRIZE)
      })
    }

    test('a post without a token naming the field errors[title] shows no attacker text on the form', async ({
      assert,
    }) => {
      const visitor = new Visitor()
      await visitor.get('/posts/create')

      const page = await visitor.post(
        '/posts',
        { 'errors[title]': PRIZE, 'title': 'ab' },
        { headers: { referer: `${appUrl()}/posts/create` } }
      )

      assert.deepEqual(page.redirects, ['/posts/create'])
      assert.notInclude(page.html, PRIZE)
      assert.include(page.html, 'value="ab"')
    })

    test('a failed validation does not put a field named success in the banner', async ({
      assert,
    }) => {
      const visitor = new Visitor()
      const page = await visitor.submit('/posts/create', '/posts', { title: 'ab', success: PRIZE })

      assert.include(visibleText(page.html), 'Enter at least 3 characters')
      assert.notInclude(page.html, PRIZE)
      assert.notInclude(page.html, 'flash-success')
    })
  }
)
