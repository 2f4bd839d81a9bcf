import { test } from '@japa/runner'
import { openPage, submitPost } from '../../helpers/browser'
import type { Page } from '../../helpers/browser'

const title = `<img src=x onerror="injected=1"> ${Date.now()}`
const body = '<script>injected=2</script><b>bold?</b>'

/**
 * Everything that would show a script tried to run: a dialog, a page error,
 * or a script the Content-Security-Policy refused (the CSP is a second line;
 * escaping must stop the markup before it is ever parsed).
 */
function watchForScripts(page: Page) {
  const attempts: string[] = []
  page.on('dialog', (dialog) => {
    attempts.push(`dialog: ${dialog.message()}`)
    return dialog.dismiss()
  })
  page.on('pageerror', (error) => attempts.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (/Refused to (execute|load the script)/i.test(message.text())) {
      attempts.push(`CSP: ${message.text()}`)
    }
  })
  return attempts
}

async function injected(page: Page) {
  return page.evaluate(() => (globalThis as any).injected)
}

test.group('HTML typed into a post', () => {
  test('shows as text on the form, in the flash panel and in the list, and never runs', async ({
    assert,
    browser,
  }) => {
    const page = await openPage(browser)
    const attempts = watchForScripts(page)
    await page.goto('/posts/create')

    await submitPost(page, { title, body: '' })

    assert.equal(await page.getByLabel('Title').inputValue(), title)
    await page.locator('.inspect summary').click()
    // The panel shows flashMessages.all() as JSON, quotes escaped.
    assert.include(await page.locator('.inspect').innerText(), JSON.stringify(title))
    assert.equal(await page.locator('main img, main script, main b').count(), 0)

    await submitPost(page, { title, body })

    assert.include(await page.locator('.post h2').allInnerTexts(), title)
    assert.include(await page.locator('.post-body').allInnerTexts(), body)
    assert.equal(await page.locator('main img, main script, main b').count(), 0)
    assert.isUndefined(await injected(page))
    assert.deepEqual(attempts, [])
  })
})
