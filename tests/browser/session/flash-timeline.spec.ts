import { test } from '@japa/runner'
import { openPage } from '../../helpers/browser'
import type { Page } from '../../helpers/browser'

/**
 * The request number in the inspector's header, and the step of the flash
 * timeline marked "you are here" with the request number it shows.
 */
async function whereAmI(page: Page) {
  const current = page.locator('#flash-timeline [aria-current="step"]')
  return {
    header: await page.locator('#inspector-request').innerText(),
    step: await current.getAttribute('id'),
    stepRequest: await current.locator('.inspector-step').innerText(),
    here: await current.locator('.inspector-here').innerText(),
  }
}

test.group('Session inspector: the flash timeline', () => {
  test('"you are here" is on the request the header shows, however many requests later', async ({
    assert,
    browser,
  }) => {
    const page = await openPage(browser)
    // A first look stores nothing, so it is not counted: the flash is request #1.
    await page.goto('/session')
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Flash a message' }).click(),
    ])

    assert.deepEqual(await whereAmI(page), {
      header: '#2 of this session',
      step: 'flash-step-shown',
      stepRequest: 'Request #2',
      here: 'you are here',
    })

    for (const request of [3, 4, 5]) {
      await page.reload()
      assert.deepEqual(await whereAmI(page), {
        header: `#${request} of this session`,
        step: 'flash-step-gone',
        stepRequest: `Request #${request}`,
        here: 'you are here',
      })
    }
  })
})
