import { test } from '@japa/runner'
import { currentLanguage, follow, openPage } from '../../helpers/browser'
import type { Page } from '../../helpers/browser'

/**
 * The language pills in the header as a visitor sees them: each one's label,
 * whether it is marked as the current choice, and its background colour.
 */
async function pills(page: Page) {
  const links = await page.locator('.language-switcher a').all()
  return Promise.all(
    links.map(async (link) => ({
      label: await link.innerText(),
      current: await link.getAttribute('aria-current'),
      background: await link.evaluate(
        (element) => (globalThis as any).getComputedStyle(element).backgroundColor
      ),
    }))
  )
}

test.group('Language pills in the header', () => {
  test('before any choice no pill is highlighted; after one, only the chosen pill is', async ({
    assert,
    browser,
  }) => {
    const page = await openPage(browser)
    await page.goto('/')

    assert.equal(await currentLanguage(page), 'Your current language is not set')
    const before = await pills(page)
    assert.deepEqual(
      before.map(({ label, current }) => ({ label, current })),
      [
        { label: 'EN', current: null },
        { label: 'FR', current: null },
        { label: 'IT', current: null },
      ]
    )
    assert.lengthOf(new Set(before.map(({ background }) => background)), 1)

    await follow(page, 'EN')

    assert.equal(await currentLanguage(page), 'Your current language is English (en)')
    const after = await pills(page)
    assert.deepEqual(
      after.map(({ current }) => current),
      ['true', null, null]
    )
    assert.notEqual(after[0].background, after[1].background)
    assert.equal(after[1].background, after[2].background)
  })
})
