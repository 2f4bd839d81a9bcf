import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import SessionStore from 'App/Services/SessionStore'
import { Visitor, textOf, visibleText } from '../../helpers/visitor'

const driver = SessionStore.driver

/**
 * Whether the form comes back refilled with a body of the given length.
 * Only the cookie driver has a size limit: 4,096 bytes per cookie, past
 * which browsers drop the cookie, and with it the errors.
 */
const refills: Record<typeof driver, (length: number) => boolean> = {
  cookie: (length) => length <= 1500,
  file: () => true,
  redis: () => true,
}

function bodyOf(html: string) {
  return html.match(/<textarea id="body"[^>]*>([\s\S]*?)<\/textarea>/)![1]
}

test.group(`A failed post with a long body (${driver} driver)`, (group) => {
  group.each.setup(async () => {
    await Database.from('posts').delete()
  })

  for (const length of [1500, 6000, 12000]) {
    const keeps = refills[driver](length)

    test(`${length.toLocaleString('en')} characters: errors shown, ${
      keeps ? 'body refilled' : 'body dropped with a note'
    }`, async ({ assert }) => {
      const visitor = new Visitor()
      const body = 'Lorem ipsum '.repeat(length / 12)

      const page = await visitor.submit('/posts/create', '/posts', { title: 'ab', body })

      assert.equal(page.status, 200)
      assert.deepEqual(page.redirects, ['/posts/create'])
      assert.equal(textOf(page.html, 'title-error'), 'Enter at least 3 characters')
      assert.match(page.html, /<input type="text" id="title" name="title" value="ab"/)
      if (length > 5000) {
        assert.equal(textOf(page.html, 'body-error'), 'Enter at most 5,000 characters')
      }

      const note =
        'Your text was too long to keep in the session, so you will need to type it again.'
      if (keeps) {
        // Kept up to the validator's limit, no further.
        assert.equal(bodyOf(page.html), body.slice(0, 5000))
        assert.notInclude(visibleText(page.html), note)
      } else {
        assert.equal(bodyOf(page.html), '')
        assert.include(textOf(page.html, 'main'), note)
      }

      const reload = await visitor.get('/posts/create')
      assert.isUndefined(textOf(reload.html, 'title-error'))
      assert.notInclude(visibleText(reload.html), note)
      assert.lengthOf(await Database.from('posts'), 0)
    })
  }

  test('errors and the note about a dropped text are in the visitor language', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')

    const page = await visitor.submit('/posts/create', '/posts', {
      title: 'ab',
      body: 'x'.repeat(12000),
    })

    assert.equal(textOf(page.html, 'body-error'), 'Saisissez au plus 5 000 caractères')
    if (!refills[driver](12000)) {
      assert.include(
        textOf(page.html, 'main'),
        'Votre texte était trop long pour être conservé dans la session : il faudra le saisir à nouveau.'
      )
    }
    const home = await visitor.get('/')
    assert.equal(textOf(home.html, 'current-language'), 'Votre langue actuelle est français (fr)')
  })
})

/**
 * Only the cookie driver has to make the session fit.
 */
const cookieOnly = {
  cookie: () => {
    test.group('An oversized cookie session (cookie driver)', () => {
      test('a form field named like a message that alone passes the limit never hides the errors', async ({
        assert,
      }) => {
        const visitor = new Visitor()
        const page = await visitor.submit('/posts/create', '/posts', {
          title: 'ab',
          body: 'fine',
          error: 'x'.repeat(6000),
        })

        assert.equal(textOf(page.html, 'title-error'), 'Enter at least 3 characters')
        assert.include(page.html, '>fine</textarea>')
        assert.notInclude(page.html, 'x'.repeat(100))
      })
    })
  },
}

cookieOnly[driver as 'cookie']?.()
