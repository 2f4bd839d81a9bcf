import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import { FRENCH, currentLanguage } from '../../helpers/language'
import { driver } from '../../helpers/session_store'
import { Visitor, textOf, visibleText } from '../../helpers/visitor'

const NOTE = 'Your text was too long to keep in the session, so you will need to type it again.'

function bodyOf(html: string) {
  return decodeEntities(html.match(/<textarea id="body"[^>]*>([\s\S]*?)<\/textarea>/)![1])
}

function titleOf(html: string) {
  return decodeEntities(
    html.match(/<input type="text" id="title" name="title"[^>]* value="([^"]*)"/)![1]
  )
}

function decodeEntities(text: string) {
  return text
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/**
 * Everything the form accepts must come back after a failed validation, with
 * every driver: the cookie driver spreads a large session over several
 * cookies.
 */
const accepted = [
  {
    name: 'a 5,000-character Latin body',
    title: 'ab',
    body: 'Lorem ipsum '.repeat(417).slice(0, 5000),
  },
  { name: 'a 120-character title', title: 'T'.repeat(120), body: '   ' },
  { name: '5 KB of Chinese', title: 'ab', body: '会话数据保存在服务器上'.repeat(160) },
  { name: '5 KB of emoji', title: 'ab', body: '🙂🚀'.repeat(650) },
]

test.group(`A failed post keeps what was typed (${driver} driver)`, (group) => {
  group.each.setup(async () => {
    await Database.from('posts').delete()
  })

  test('{name} comes back in the form')
    .with(accepted)
    .run(async ({ assert }, { title, body }) => {
      assert.isAtLeast(Buffer.byteLength(title + body), title.length > 100 ? 120 : 5000)
      const visitor = new Visitor()

      const page = await visitor.submit('/posts/create', '/posts', { title, body })

      assert.equal(page.status, 200)
      assert.deepEqual(page.redirects, ['/posts/create'])
      assert.isDefined(textOf(page.html, title.length < 3 ? 'title-error' : 'body-error'))
      assert.equal(titleOf(page.html), title)
      assert.equal(bodyOf(page.html), body)
      assert.notInclude(visibleText(page.html), NOTE)
      assert.isBelow(
        visitor.cookieHeader().length,
        14_000,
        'the Cookie header stays far from 16 KB'
      )

      const reload = await visitor.get('/posts/create')
      assert.isUndefined(textOf(reload.html, 'title-error'))
      assert.equal(titleOf(reload.html), '', 'the old input is shown once')
      assert.lengthOf(await Database.from('posts'), 0)
    })

  test('a text larger than a cookie session can hold is dropped with a note, errors kept', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    const body = '会话数据保存在服务器上'.repeat(450)

    const page = await visitor.submit('/posts/create', '/posts', { title: 'ab', body })

    assert.equal(page.status, 200)
    assert.equal(textOf(page.html, 'title-error'), 'Saisissez au moins 3 caractères')
    assert.equal(bodyOf(page.html), '')
    assert.include(
      textOf(page.html, 'main'),
      'Votre texte était trop long pour être conservé dans la session : il faudra le saisir à nouveau.'
    )
    assert.isBelow(visitor.cookieHeader().length, 14_000)
    assert.equal(currentLanguage((await visitor.get('/')).html), FRENCH)
  }).skip(driver !== 'cookie', 'only the cookie driver has a size limit')

  test('the same text is kept whole by a server-side store', async ({ assert }) => {
    const visitor = new Visitor()
    const body = '会话数据保存在服务器上'.repeat(450)

    const page = await visitor.submit('/posts/create', '/posts', { title: 'ab', body })

    assert.equal(bodyOf(page.html), body)
  }).skip(driver === 'cookie', 'the cookie driver drops it with a note')
})
