import { test } from '@japa/runner'
import { javaScriptModes, openPage, submitPost } from '../../helpers/browser'
import type { Page } from '../../helpers/browser'

/**
 * Titles no other test uses: the posts of every test share one list.
 */
function uniqueTitle(mode: string) {
  return `Sessions in a browser ${mode} ${Date.now()}`
}

function postsTitled(page: Page, title: string) {
  return page.locator('.post h2', { hasText: title })
}

test.group('Writing a post in the browser', () => {
  for (const [mode, options] of Object.entries(javaScriptModes)) {
    test(`an empty title shows its error under the title, marked invalid, with the body kept (${mode})`, async ({
      assert,
      browser,
    }) => {
      const page = await openPage(browser, options)
      await page.goto('/posts/create')

      await submitPost(page, { title: '', body: 'A body worth keeping' })

      assert.equal(new URL(page.url()).pathname, '/posts/create')
      const title = page.getByLabel('Title')
      const error = page.locator('#title-error')
      assert.equal(await error.innerText(), 'Enter a title')
      assert.equal(await title.getAttribute('aria-invalid'), 'true')
      assert.include((await title.getAttribute('aria-describedby'))!.split(' '), 'title-error')
      const [fieldBox, errorBox] = [await title.boundingBox(), await error.boundingBox()]
      assert.isAtLeast(errorBox!.y, fieldBox!.y + fieldBox!.height)
      assert.equal(await page.getByLabel('Body').inputValue(), 'A body worth keeping')
      assert.isNull(await page.getByLabel('Body').getAttribute('aria-invalid'))
    })

    test(`a fixed post lands on the list with the message once, and going back posts nothing again (${mode})`, async ({
      assert,
      browser,
    }) => {
      const postTitle = uniqueTitle(mode)
      const page = await openPage(browser, options)
      await page.goto('/posts/create')
      await submitPost(page, { title: '', body: 'Flash messages live for one request.' })

      await submitPost(page, { title: postTitle, body: 'Flash messages live for one request.' })

      assert.equal(new URL(page.url()).pathname, '/posts')
      assert.equal(await page.getByRole('status').innerText(), 'Post has been created')
      assert.equal(await postsTitled(page, postTitle).count(), 1)

      await page.reload()

      assert.equal(await page.getByRole('status').count(), 0)
      assert.equal(await postsTitled(page, postTitle).count(), 1)

      const back = await page.goBack()

      assert.equal(back!.request().method(), 'GET')
      assert.equal(new URL(page.url()).pathname, '/posts/create')
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Write a post')
      await page.goto('/posts')
      assert.equal(await postsTitled(page, postTitle).count(), 1)
      assert.equal(await page.getByRole('status').count(), 0)
    })
  }
})
