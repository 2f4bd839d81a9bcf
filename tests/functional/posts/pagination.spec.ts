import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import Post from 'App/Models/Post'
import { Visitor } from '../../helpers/visitor'

/**
 * The href of the link marked with `rel`, in the posts' pagination.
 */
function linkOf(html: string, rel: 'prev' | 'next') {
  const tag = html.match(new RegExp(`<a\\b[^>]*\\brel="${rel}"[^>]*>`))?.[0]
  return tag?.match(/\bhref="([^"]*)"/)?.[1]
}

function titleOf(html: string) {
  return html.match(/<title>([^<]*)<\/title>/)?.[1]
}

test.group('Pages of posts', (group) => {
  group.each.setup(async () => {
    await Database.from('posts').delete()
    // 3 pages of 20.
    await Post.createMany(
      Array.from({ length: 45 }, (_, i) => ({ title: `Post ${i + 1}`, body: 'A post.' }))
    )
  })

  test('"Newer posts" on page 2 leads to the list itself, not to ?page=1', async ({ assert }) => {
    const visitor = new Visitor()

    assert.equal(linkOf((await visitor.get('/posts?page=2')).html, 'prev'), '/posts')
    assert.equal(linkOf((await visitor.get('/posts?page=3')).html, 'prev'), '/posts?page=2')
    assert.equal(linkOf((await visitor.get('/posts')).html, 'next'), '/posts?page=2')
  })

  test('the title of a later page says which page it is, in the visitor language', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    assert.match(titleOf((await visitor.get('/posts')).html)!, /^Posts · /)
    assert.match(titleOf((await visitor.get('/posts?page=2')).html)!, /^Posts, page 2 · /)

    await visitor.get('/language/it')
    assert.match(titleOf((await visitor.get('/posts?page=3')).html)!, /^Articoli, pagina 3 · /)
  })
})
