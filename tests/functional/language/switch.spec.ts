import { test } from '@japa/runner'
import { FRENCH, ITALIAN, NOT_SET, currentLanguage } from '../../helpers/language'
import { Visitor, visibleText, appUrl } from '../../helpers/visitor'

test.group('Language switcher', () => {
  test('a first visit has no language set and offers the three languages', async ({ assert }) => {
    const page = await new Visitor().get('/')

    assert.equal(page.status, 200)
    assert.equal(currentLanguage(page.html), NOT_SET)
    assert.include(page.html, '<html lang="en">')
    for (const name of ['en', 'fr', 'it']) {
      assert.match(page.html, new RegExp(`href="[^"]*language/${name}"`))
    }
  })

  test('choosing French stores it and the whole page follows', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/')

    const page = await visitor.get('/language/fr', { headers: { referer: `${appUrl()}/` } })

    assert.deepEqual(page.redirects, ['/'])
    assert.include(page.html, '<html lang="fr">')
    assert.equal(currentLanguage(page.html), FRENCH)
    assert.include(visibleText(page.html), 'Écrire un article')
  })

  test('the language is kept across requests and pages', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/it')

    const home = await visitor.get('/')
    const posts = await visitor.get('/posts')
    const form = await visitor.get('/posts/create')

    assert.equal(currentLanguage(home.html), ITALIAN)
    assert.include(posts.html, '<html lang="it">')
    assert.include(visibleText(form.html), 'Titolo')
  })

  test('sessions belong to one visitor', async ({ assert }) => {
    const first = new Visitor()
    await first.get('/language/fr')

    const stranger = await new Visitor().get('/')
    assert.equal(currentLanguage(stranger.html), NOT_SET)
  })

  test('an unknown language is refused with a translated error and the stored one kept', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')

    const page = await visitor.get('/language/de', { headers: { referer: `${appUrl()}/posts` } })

    assert.deepEqual(page.redirects, ['/posts'])
    assert.include(visibleText(page.html), 'Langue non prise en charge')
    const home = await visitor.get('/')
    assert.equal(currentLanguage(home.html), FRENCH)
    assert.notInclude(visibleText(home.html), 'Langue non prise en charge')
  })

  test('the redirect goes back to the page the visitor came from', async ({ assert }) => {
    const page = await new Visitor().get('/language/en', {
      headers: { referer: `${appUrl()}/posts/create?draft=1` },
    })

    assert.deepEqual(page.redirects, ['/posts/create?draft=1'])
  })

  test('a Referer from another site never leads off this site', async ({ assert }) => {
    for (const referer of [
      'https://evil.example/steal',
      `${appUrl()}//evil.example/path`,
      'javascript:alert(1)',
      'not a url',
    ]) {
      const page = await new Visitor().get('/language/fr', { headers: { referer } })
      assert.deepEqual(page.redirects, ['/'], referer)
    }
  })

  test('hostile language names never cause a server error', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/it')

    const names = [
      'x'.repeat(5000),
      encodeURIComponent('日本語'),
      '..%2F..%2Fetc%2Fpasswd',
      encodeURIComponent('<script>alert(1)</script>'),
      '__proto__',
      'constructor',
      '%00',
      '%E0%A4%A',
    ]
    for (const name of names) {
      const page = await visitor.get(`/language/${name}`)
      assert.isBelow(page.status, 500, name)
      assert.notInclude(page.html, '<script>alert(1)</script>')
    }

    const home = await visitor.get('/')
    assert.equal(currentLanguage(home.html), ITALIAN)
  })
})
