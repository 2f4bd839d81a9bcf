import { test } from '@japa/runner'
import { readdirSync, writeFileSync } from 'node:fs'
import Application from '@ioc:Adonis/Core/Application'
import Database from '@ioc:Adonis/Lucid/Database'
import SessionStore from 'App/Services/SessionStore'
import { Visitor, appUrl, csrfToken, textOf } from '../../helpers/visitor'

const driver = SessionStore.driver

function sessionFile(sessionId: string) {
  return Application.tmpPath('sessions', `${sessionId}.txt`)
}

/**
 * The 200 requests one visitor's tabs could send at once: pages, language
 * switches and form posts, all with the same cookies.
 */
function burst(visitor: Visitor, token: string) {
  const cookie = visitor.cookieHeader()
  return Array.from({ length: 200 }, (_, index) => {
    const headers = { cookie, accept: 'text/html' }
    switch (index % 8) {
      case 0:
        return fetch(`${appUrl()}/language/${index % 16 ? 'it' : 'fr'}`, {
          headers,
          redirect: 'manual',
        })
      case 1:
        return fetch(`${appUrl()}/posts`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: token, title: `Burst ${index}`, body: 'x' }),
          redirect: 'manual',
        })
      case 2:
        return fetch(`${appUrl()}/posts/create`, { headers })
      case 3:
        return fetch(`${appUrl()}/posts`, { headers })
      default:
        return fetch(`${appUrl()}/`, { headers })
    }
  })
}

/**
 * What else each driver must show after the burst.
 */
const afterBurst = {
  cookie: async (_assert: any, _visitor: Visitor) => {},
  file: async (assert: any, visitor: Visitor) => {
    const id = visitor.sessionId()!
    const leftovers = readdirSync(Application.tmpPath('sessions')).filter(
      (name) => name.startsWith(`${id}.txt.`) && name.endsWith('.tmp')
    )
    assert.deepEqual(leftovers, [], 'no temporary file is left behind')
  },
  redis: async (_assert: any, _visitor: Visitor) => {},
}

test.group(`Concurrent requests on one session (${driver} driver)`, (group) => {
  group.each.setup(async () => {
    await Database.from('posts').delete()
  })

  test('200 parallel requests on one session: no 5xx, the session still works', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const token = csrfToken((await visitor.get('/posts/create')).html)

    const responses = await Promise.all(burst(visitor, token))
    const statuses = responses.map((response) => response.status)
    await Promise.all(responses.map((response) => response.arrayBuffer()))

    assert.deepEqual(
      statuses.filter((status) => status >= 500),
      [],
      `statuses: ${[...new Set(statuses)].join(', ')}`
    )
    assert.lengthOf(await Database.from('posts'), 25, 'every post with a valid token was saved')

    const home = await visitor.get('/')
    assert.equal(home.status, 200)
    assert.oneOf(textOf(home.html, 'current-language'), [
      'Votre langue actuelle est français (fr)',
      'La tua lingua attuale è italiano (it)',
    ])
    await afterBurst[driver](assert, visitor)
  })
})

/**
 * The file driver reads files that a crash or a full disk may have left
 * half-written.
 */
const brokenFiles = {
  file: () => {
    test.group('Broken session files (file driver)', () => {
      for (const [name, contents] of [
        ['a half-written', '{"message":{"userLanguage":"fr","csrf-se'],
        ['a non-JSON', 'this is not a session'],
        ['a JSON null', 'null'],
        ['an empty', ''],
      ]) {
        test(`${name} session file reads as an empty session`, async ({ assert }) => {
          const visitor = new Visitor()
          await visitor.get('/language/fr')
          writeFileSync(sessionFile(visitor.sessionId()!), contents)

          const page = await visitor.get('/')

          assert.equal(page.status, 200)
          assert.equal(textOf(page.html, 'current-language'), 'Your current language is not set')
          const again = await visitor.get('/language/it')
          assert.equal(
            textOf(again.html, 'current-language'),
            'La tua lingua attuale è italiano (it)'
          )
        })
      }
    })
  },
}

brokenFiles[driver as 'file']?.()
