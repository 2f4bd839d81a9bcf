import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import { Visitor } from '../../helpers/visitor'

/**
 * The attributes of the element `tag` whose text starts with `text`.
 */
function attributesOf(html: string, tag: string, text: string) {
  const match = html.match(new RegExp(`<${tag}\\b([^>]*)>\\s*${text}`))
  return match?.[1]
}

test.group('Text in any direction', (group) => {
  group.each.setup(() => Database.from('posts').delete())

  test("a post's title and body follow their own direction (dir=auto)", async ({ assert }) => {
    // Arabic: right to left, so its full stop belongs on the left.
    const title = 'مرحبا بالعالم.'
    const body = 'هذه أول مقالة.'
    const page = await new Visitor().submit('/posts/create', '/posts', { title, body })

    assert.deepEqual(page.redirects, ['/posts'])
    assert.match(attributesOf(page.html, 'h2', title) ?? '', /\bdir="auto"/)
    assert.match(attributesOf(page.html, 'div', body) ?? '', /\bdir="auto"/)
  })

  test('so do the fields that a visitor writes in', async ({ assert }) => {
    const page = await new Visitor().get('/posts/create')

    for (const field of ['input', 'textarea']) {
      const tag = page.html.match(new RegExp(`<${field}\\b[^>]*\\bid="(title|body)"[^>]*>`))
      assert.exists(tag, field)
      assert.match(tag![0], /\bdir="auto"/)
    }
  })
})
