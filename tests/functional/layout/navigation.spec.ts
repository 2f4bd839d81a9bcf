import { test } from '@japa/runner'
import { Visitor, visibleText } from '../../helpers/visitor'

/**
 * The main navigation's accessible name and the text of its links.
 */
function mainNav(html: string) {
  const nav = html.match(/<nav\b[^>]*class="main-nav"[^>]*>([\s\S]*?)<\/nav>/)!
  return {
    label: nav[0].match(/\baria-label="([^"]*)"/)?.[1],
    links: [...nav[1].matchAll(/<a\b[^>]*>([^<]*)<\/a>/g)].map((link) => visibleText(link[1])),
  }
}

test.group('The main navigation', () => {
  test('{language}: is named apart from its links')
    .with([
      { language: 'en', label: 'Main' },
      { language: 'fr', label: 'Principale' },
      { language: 'it', label: 'Principale' },
    ])
    .run(async ({ assert }, { language, label }) => {
      const visitor = new Visitor()
      await visitor.get(`/language/${language}`)

      const nav = mainNav((await visitor.get('/posts')).html)

      assert.equal(nav.label, label)
      assert.lengthOf(nav.links, 3)
      assert.notInclude(nav.links, label)
    })
})
