import { test } from '@japa/runner'
import { writeFileSync } from 'node:fs'
import Database from '@ioc:Adonis/Lucid/Database'
import { FRENCH, ITALIAN, NOT_SET, currentLanguage } from '../../helpers/language'
import { driver, sessionFile, temporaryFiles } from '../../helpers/session_store'
import { Visitor, appUrl, csrfToken } from '../../helpers/visitor'

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
 * A visitor who chose French sends the burst; resolves once every response
 * has been read, with their statuses.
 */
async function burstOnOneSession() {
  const visitor = new Visitor()
  await visitor.get('/language/fr')
  const token = csrfToken((await visitor.get('/posts/create')).html)

  const responses = await Promise.all(burst(visitor, token))
  await Promise.all(responses.map((response) => response.arrayBuffer()))
  return { visitor, statuses: responses.map((response) => response.status) }
}

test.group(`Concurrent requests on one session (${driver} driver)`, (group) => {
  group.each.setup(async () => {
    await Database.from('posts').delete()
  })

  test('200 parallel requests on one session: no 5xx, the session still works', async ({
    assert,
  }) => {
    const { visitor, statuses } = await burstOnOneSession()

    assert.deepEqual(
      statuses.filter((status) => status >= 500),
      [],
      `statuses: ${[...new Set(statuses)].join(', ')}`
    )
    assert.lengthOf(await Database.from('posts'), 25, 'every post with a valid token was saved')

    const home = await visitor.get('/')
    assert.equal(home.status, 200)
    assert.oneOf(currentLanguage(home.html), [FRENCH, ITALIAN])
  })

  test('200 parallel requests leave no temporary session file behind', async ({ assert }) => {
    const { visitor } = await burstOnOneSession()

    assert.deepEqual(temporaryFiles(visitor.sessionId()!), [])
  }).skip(driver !== 'file', 'only the file driver keeps files')
})

/**
 * The file driver reads files that a crash or a full disk may have left
 * half-written.
 */
test.group(`Broken session files (${driver} driver)`, () => {
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
      assert.equal(currentLanguage(page.html), NOT_SET)
      const again = await visitor.get('/language/it')
      assert.equal(currentLanguage(again.html), ITALIAN)
    }).skip(driver !== 'file', 'only the file driver keeps session files')
  }
})
