import { test } from '@japa/runner'
import { follow, openPage, submitPost } from '../../helpers/browser'
import type { Page } from '../../helpers/browser'

function hint(page: Page, field: 'title' | 'body') {
  return page.locator(`#${field}-hint`).innerText()
}

function focusedId(page: Page) {
  return page.evaluate('document.activeElement.id')
}

test.group('Help while writing a post', () => {
  test('the hints count down the characters left as one types', async ({ assert, browser }) => {
    const page = await openPage(browser)
    await page.goto('/posts/create')

    assert.equal(await hint(page, 'title'), '3 to 120 characters · 120 characters left')
    assert.equal(await hint(page, 'body'), 'Up to 5,000 characters · 5,000 characters left')

    await page.getByLabel('Title').pressSequentially('Hello')
    await page.getByLabel('Body').fill('b'.repeat(4999))

    assert.equal(await hint(page, 'title'), '3 to 120 characters · 115 characters left')
    assert.equal(await hint(page, 'body'), 'Up to 5,000 characters · 1 character left')
  })

  test('the count follows the page language', async ({ assert, browser }) => {
    const page = await openPage(browser)
    await page.goto('/posts/create')
    await follow(page, 'FR')

    await page.getByLabel('Titre').fill('Bonjour')

    assert.equal(await hint(page, 'title'), 'De 3 à 120 caractères · 113 caractères restants')
    assert.equal(
      await hint(page, 'body'),
      "Jusqu'à 5\u202f000 caractères · 5\u202f000 caractères restants"
    )
  })

  test('without JavaScript the hints give the limits and the fields still stop there', async ({
    assert,
    browser,
  }) => {
    const page = await openPage(browser, { javaScriptEnabled: false })
    await page.goto('/posts/create')

    assert.equal(await hint(page, 'title'), '3 to 120 characters')
    await page.getByLabel('Title').fill('t'.repeat(130))
    assert.lengthOf(await page.getByLabel('Title').inputValue(), 120)
    assert.equal(await page.getByLabel('Body').getAttribute('maxlength'), '5000')
  })

  test('a body as long as the field allows, with line breaks, is published', async ({
    assert,
    browser,
  }) => {
    const page = await openPage(browser)
    await page.goto('/posts/create')
    const lines = Array.from({ length: 100 }, () => 'x'.repeat(49)).join('\n')
    const body = lines + 'y'.repeat(5000 - lines.length)

    await submitPost(page, { title: `Full body ${Date.now()}`, body })

    assert.equal(await page.getByRole('status').innerText(), 'Post has been created')
  })

  test('after a failed submit the focus is on the first field with an error', async ({
    assert,
    browser,
  }) => {
    const page = await openPage(browser)
    await page.goto('/posts/create')

    await submitPost(page, { title: '', body: '' })
    assert.equal(await focusedId(page), 'title')

    await submitPost(page, { title: 'A good title', body: '' })
    assert.equal(await focusedId(page), 'body')
  })
})
