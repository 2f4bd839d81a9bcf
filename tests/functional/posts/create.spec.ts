import { test } from '@japa/runner'
import Database from '@ioc:Adonis/Lucid/Database'
import { Visitor, textOf, visibleText } from '../../helpers/visitor'

/**
 * The opening tag of the form's field with that id.
 */
function fieldTag(html: string, tag: 'input' | 'textarea', id: string) {
  return html.match(new RegExp(`<${tag}\\b[^>]*\\bid="${id}"[^>]*>`))?.[0] ?? ''
}

test.group('Writing a post', (group) => {
  group.each.setup(async () => {
    await Database.from('posts').delete()
  })

  test('the form has labelled fields and a CSRF field', async ({ assert }) => {
    const page = await new Visitor().get('/posts/create')

    assert.equal(page.status, 200)
    assert.match(page.html, /<label for="title">Title<\/label>/)
    assert.match(page.html, /<label for="body">Body<\/label>/)
    assert.match(page.html, /<input type='hidden' name='_csrf' value='[^']+'>/)
    assert.include(page.html, '<details class="inspect">')
  })

  test('a valid post is saved and the success message shows once', async ({ assert }) => {
    const visitor = new Visitor()

    const page = await visitor.submit('/posts/create', '/posts', {
      title: '  My first post  ',
      body: 'Hello sessions',
    })

    assert.deepEqual(page.redirects, ['/posts'])
    assert.include(textOf(page.html, 'main'), 'Post has been created')
    assert.include(visibleText(page.html), 'My first post')

    const saved = await Database.from('posts').select('title', 'body')
    assert.deepEqual(saved, [{ title: 'My first post', body: 'Hello sessions' }])

    const reload = await visitor.get('/posts')
    assert.notInclude(visibleText(reload.html), 'Post has been created')
    assert.include(visibleText(reload.html), 'My first post')
  })

  test('the success message is in the visitor language', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')

    const page = await visitor.submit('/posts/create', '/posts', {
      title: 'Bonjour',
      body: 'Salut',
    })

    assert.include(visibleText(page.html), "L'article a été créé")
  })

  test('posts are listed newest first', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.submit('/posts/create', '/posts', { title: 'Older post', body: 'one' })
    const page = await visitor.submit('/posts/create', '/posts', {
      title: 'Newer post',
      body: 'two',
    })

    const text = visibleText(page.html)
    assert.isBelow(text.indexOf('Newer post'), text.indexOf('Older post'))
  })

  test('errors show under their fields and what was typed is kept', async ({ assert }) => {
    const visitor = new Visitor()

    const page = await visitor.submit('/posts/create', '/posts', { title: 'ab', body: 'Keep me' })

    assert.deepEqual(page.redirects, ['/posts/create'])
    const title = fieldTag(page.html, 'input', 'title')
    for (const attribute of [
      'value="ab"',
      'aria-invalid="true"',
      'aria-describedby="title-hint title-error"',
      'maxlength="120"',
      'autofocus',
    ]) {
      assert.include(title, ` ${attribute}`)
    }
    assert.equal(textOf(page.html, 'title-error'), 'Enter at least 3 characters')
    assert.include(page.html, '>Keep me</textarea>')
    assert.isUndefined(textOf(page.html, 'body-error'))
    assert.lengthOf(await Database.from('posts'), 0)

    const reload = await visitor.get('/posts/create')
    assert.isUndefined(textOf(reload.html, 'title-error'))
    assert.notInclude(reload.html, 'Keep me')
  })

  test('missing fields and blank text are refused with translated messages', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/it')

    const page = await visitor.submit('/posts/create', '/posts', { title: '   ', body: '' })

    assert.equal(textOf(page.html, 'title-error'), 'Inserisci un titolo')
    assert.equal(textOf(page.html, 'body-error'), 'Scrivi qualcosa nel testo')
    assert.include(fieldTag(page.html, 'textarea', 'body'), ' aria-invalid="true"')
    assert.lengthOf(await Database.from('posts'), 0)
  })

  test('titles over 120 and bodies over 5000 characters are refused', async ({ assert }) => {
    const page = await new Visitor().submit('/posts/create', '/posts', {
      title: 't'.repeat(121),
      body: 'b'.repeat(5001),
    })

    assert.equal(textOf(page.html, 'title-error'), 'Enter at most 120 characters')
    assert.equal(textOf(page.html, 'body-error'), 'Enter at most 5,000 characters')
    assert.lengthOf(await Database.from('posts'), 0)
  })

  test('the flash panel shows what flashMessages holds after a failed post', async ({ assert }) => {
    const page = await new Visitor().submit('/posts/create', '/posts', { title: '', body: 'x' })

    const panel = page.html.slice(page.html.indexOf('<details class="inspect">'))
    assert.include(visibleText(panel), 'errors')
    assert.match(visibleText(panel), /flashMessages\.has\('errors'\) true/)
    assert.match(visibleText(panel), /flashMessages\.get\('errors.title'\) Enter a title/)
  })

  test('HTML typed in a post is shown as text', async ({ assert }) => {
    const visitor = new Visitor()
    const page = await visitor.submit('/posts/create', '/posts', {
      title: '<img src=x onerror=alert(1)>',
      body: '<script>alert(1)</script>',
    })

    assert.notInclude(page.html, '<img src=x onerror=alert(1)>')
    assert.notInclude(page.html, '<script>alert(1)</script>')
    assert.include(page.html, '&lt;img src=x onerror=alert(1)&gt;')
  })
})
