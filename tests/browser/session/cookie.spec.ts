import { test } from '@japa/runner'
import { follow, openPage } from '../../helpers/browser'
import { sessionCookieName } from '../../helpers/session_store'

test.group('Session cookie in the browser', () => {
  test('page script cannot read the session cookie: it is HttpOnly', async ({
    assert,
    browser,
  }) => {
    const page = await openPage(browser)
    await page.goto('/')
    await follow(page, 'Change to French')

    const cookies = await page.context().cookies()
    const names = cookies
      .map(({ name }) => name)
      .filter((name) => name === sessionCookieName() || name.startsWith(`${sessionCookieName()}.`))
    assert.include(names, sessionCookieName())
    for (const name of names) {
      const cookie = cookies.find((c) => c.name === name)
      assert.isDefined(cookie, `${name} is set`)
      assert.isTrue(cookie!.httpOnly, `${name} is HttpOnly`)
      assert.equal(cookie!.sameSite, 'Lax')
    }

    // A cookie that is not HttpOnly does show, so an empty answer means something.
    const visible = await page.evaluate(() => {
      const { document } = globalThis as any
      document.cookie = 'readable=yes; path=/'
      return document.cookie as string
    })
    assert.include(visible, 'readable=yes')
    for (const name of names) {
      assert.notInclude(visible, name)
    }
  })
})
