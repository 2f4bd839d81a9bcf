import { test } from '@japa/runner'
import { javaScriptModes, openPage, submitPost } from '../../helpers/browser'

test.group('Back, then Publish again', () => {
  for (const [mode, options] of Object.entries(javaScriptModes)) {
    test(`the post is stored once and the list says the form was already sent (${mode})`, async ({
      assert,
      browser,
    }) => {
      const title = `Published once ${mode} ${Date.now()}`
      const page = await openPage(browser, options)
      await page.goto('/posts/create')
      await submitPost(page, { title, body: 'Going back must not publish this twice.' })
      assert.equal(await page.getByRole('status').innerText(), 'Post has been created')

      await page.goBack()
      assert.equal(new URL(page.url()).pathname, '/posts/create')
      assert.equal(await page.getByLabel('Title').inputValue(), title)
      await Promise.all([
        page.waitForEvent('load'),
        page.getByRole('button', { name: 'Publish' }).click(),
      ])

      assert.equal(new URL(page.url()).pathname, '/posts')
      assert.equal(
        await page.getByRole('status').innerText(),
        'This form was already sent, so your post was stored only once.'
      )
      assert.equal(await page.locator('.post h2', { hasText: title }).count(), 1)
    })
  }
})
