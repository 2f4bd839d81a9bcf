import { test } from '@japa/runner'
import { currentLanguage, follow, htmlLang, javaScriptModes, openPage } from '../../helpers/browser'
import { FRENCH, NOT_SET } from '../../helpers/language'

test.group('Language switcher in the browser', () => {
  for (const [mode, options] of Object.entries(javaScriptModes)) {
    test(`the French link switches the whole page to French and a reload keeps it (${mode})`, async ({
      assert,
      browser,
    }) => {
      const page = await openPage(browser, options)
      await page.goto('/')
      assert.equal(await currentLanguage(page), NOT_SET)
      assert.equal(await htmlLang(page), 'en')

      await follow(page, 'Change to French')

      assert.equal(new URL(page.url()).pathname, '/')
      assert.equal(await htmlLang(page), 'fr')
      assert.equal(await currentLanguage(page), FRENCH)
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Votre langue')
      assert.equal(
        await page.getByRole('link', { name: 'FR', exact: true }).getAttribute('aria-current'),
        'true'
      )

      await page.reload()

      assert.equal(await htmlLang(page), 'fr')
      assert.equal(await currentLanguage(page), FRENCH)
    })
  }

  test('a second, fresh browser context still sees "not set"', async ({ assert, browser }) => {
    const first = await openPage(browser)
    await first.goto('/')
    await follow(first, 'Change to French')
    assert.equal(await htmlLang(first), 'fr')

    const stranger = await openPage(browser)
    await stranger.goto('/')

    assert.equal(await htmlLang(stranger), 'en')
    assert.equal(await currentLanguage(stranger), NOT_SET)
  })

  test('an unknown language typed into the address bar shows the translated error and keeps French', async ({
    assert,
    browser,
  }) => {
    const page = await openPage(browser)
    await page.goto('/')
    await follow(page, 'Change to French')

    await page.goto('/language/de')

    assert.equal(new URL(page.url()).pathname, '/')
    assert.equal(await page.getByRole('alert').innerText(), 'Langue non prise en charge')
    assert.equal(await currentLanguage(page), FRENCH)

    await page.reload()

    assert.equal(await page.getByRole('alert').count(), 0)
    assert.equal(await currentLanguage(page), FRENCH)
  })
})
