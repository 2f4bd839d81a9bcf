import { test } from '@japa/runner'
import { openPage } from '../../helpers/browser'
import type { Page } from '../../helpers/browser'

/**
 * Where the page landed: the address's anchor, the element with the focus,
 * and whether that element is on screen.
 */
async function landing(page: Page) {
  return page.evaluate(() => {
    // The page's own globals: the test project compiles without the DOM's types.
    const { document, window } = globalThis as any
    const focused = document.activeElement
    const box = focused.getBoundingClientRect()
    return {
      hash: window.location.hash,
      focused: focused.id,
      // Scrolled to an anchor, an element may stand half a pixel above the top.
      onScreen: box.top > -1 && box.bottom <= window.innerHeight,
    }
  })
}

async function press(page: Page, button: string) {
  await Promise.all([
    page.waitForEvent('load'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ])
}

const screens = {
  'a laptop (1280×800)': { width: 1280, height: 800 },
  'a phone (390×844)': { width: 390, height: 844 },
}

test.group('Session inspector: each button lands on its result', () => {
  test('{button} on {screen}')
    .with(
      Object.entries(screens).flatMap(([screen, viewport]) =>
        [
          { button: 'Race two requests', result: 'race-outcome' },
          { button: 'Race as a new visitor', result: 'new-visitor-outcome' },
          { button: 'Flash a message', result: 'flash-current' },
          { button: 'Flash, then reflash across two redirects', result: 'flash-current' },
          { button: 'Regenerate id', result: 'regenerated-heading' },
          { button: 'Clear my session', result: 'flash-success' },
        ].map((row) => ({ ...row, screen, viewport }))
      )
    )
    .run(async ({ assert, browser }, { button, result, viewport }) => {
      const page = await openPage(browser, { viewport })
      await page.goto('/language/en')
      await page.goto('/session')

      await press(page, button)

      assert.deepEqual(await landing(page), {
        hash: `#${result}`,
        focused: result,
        onScreen: true,
      })
    })

  test('without JavaScript, the anchor alone brings the result on screen', async ({
    assert,
    browser,
  }) => {
    const page = await openPage(browser, {
      javaScriptEnabled: false,
      viewport: screens['a phone (390×844)'],
    })
    await page.goto('/language/en')
    await page.goto('/session')

    await press(page, 'Flash a message')

    const top = await page.locator('#flash-current').evaluate((heading) => {
      return heading.getBoundingClientRect().top
    })
    assert.equal(new URL(page.url()).hash, '#flash-current')
    assert.isAbove(top, -1)
    assert.isBelow(top, 844)
    assert.isAbove(await page.evaluate<number>('window.scrollY'), 0)
  })

  test('a race twice in a row reloads the page each time', async ({ assert, browser }) => {
    const page = await openPage(browser)
    await page.goto('/session')

    await press(page, 'Race two requests')
    const first = await page.locator('#race-result').getAttribute('data-run')
    await press(page, 'Race two requests')

    assert.notEqual(await page.locator('#race-result').getAttribute('data-run'), first)
    assert.equal((await landing(page)).focused, 'race-outcome')
  })
})

test.group('Session inspector: a new visitor racing', () => {
  test('two first requests start two sessions: the browser keeps one, and one flash message', async ({
    assert,
    browser,
  }) => {
    const page = await openPage(browser)
    await page.goto('/language/fr')
    await page.goto('/session')

    await press(page, 'Course en nouveau visiteur')

    assert.equal(await page.locator('#new-visitor-slow').innerText(), 'kept')
    assert.equal(await page.locator('#new-visitor-quick').innerText(), 'lost')
    assert.equal(
      await page.locator('#flash-success').innerText(),
      'Flashed by the slow request: its session is the one your browser kept.'
    )
    assert.include(await page.locator('#new-visitor-why').innerText(), 'is never seen again')
    // The race ended the session first, the language in it too.
    assert.equal(await page.locator('html').getAttribute('lang'), 'en')
    const keys = await page.locator('#session-values tbody th').allInnerTexts()
    assert.include(keys, 'newVisitorRace')
    assert.notInclude(keys, 'userLanguage')
  })
})
