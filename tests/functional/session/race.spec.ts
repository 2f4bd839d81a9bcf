import { test } from '@japa/runner'
import { driver } from '../../helpers/session_store'
import { Visitor, appUrl, csrfToken, formBody, textOf } from '../../helpers/visitor'

/**
 * What the inspector's script does: the slow and the quick request of the
 * race sent at the same moment, with the same cookies and the same run
 * number; each response's cookies are kept as it arrives, as a browser does.
 */
async function race(visitor: Visitor) {
  const page = await visitor.get('/session')
  const body = formBody({ _csrf: csrfToken(page.html), run: String(Date.now()) })
  const headers = {
    'cookie': visitor.cookieHeader(),
    'content-type': 'application/x-www-form-urlencoded',
  }
  const send = async (lane: string) => {
    const response = await fetch(`${appUrl()}/session/race/${lane}`, {
      method: 'POST',
      headers,
      body,
    })
    visitor.receive(response.headers.getSetCookie())
    return response.status
  }
  return Promise.all([send('slow'), send('quick')])
}

test.group(`The inspector's race of two requests (${driver} driver)`, () => {
  test('both changes are kept by a server-side store', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/en')

    assert.deepEqual(await race(visitor), [204, 204])
    const page = await visitor.get('/session')

    assert.equal(textOf(page.html, 'race-slow'), 'kept')
    assert.equal(textOf(page.html, 'race-quick'), 'kept')
    assert.include(textOf(page.html, 'race-why')!, 'both keys are kept')
  }).skip(driver === 'cookie', 'the cookie driver keeps one: see the next test')

  test('the cookie driver keeps the change of the response that arrived last', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/language/en')

    assert.deepEqual(await race(visitor), [204, 204])
    const page = await visitor.get('/session')

    const kept = ['race-slow', 'race-quick'].map((id) => textOf(page.html, id))
    assert.sameMembers(kept, ['kept', 'lost'])
    assert.include(textOf(page.html, 'race-why')!, 'kept the one that arrived last')
    // The language, in a cookie of its own, was not touched by either.
    assert.include(page.html, '<html lang="en">')
  }).skip(driver !== 'cookie', 'the cookie driver only')

  test('a race request without a run number or a CSRF token changes nothing', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    await visitor.get('/language/en')
    const page = await visitor.get('/session')

    const noRun = await visitor.post(
      '/session/race/slow',
      { _csrf: csrfToken(page.html) },
      { followRedirects: false }
    )
    const noToken = await visitor.post(
      '/session/race/quick',
      { run: '1' },
      { followRedirects: false }
    )

    assert.equal(noRun.status, 400)
    assert.equal(noToken.status, 302)
    assert.isUndefined(textOf((await visitor.get('/session')).html, 'race-result'))
  })
})
