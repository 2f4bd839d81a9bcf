import { test } from '@japa/runner'
import { follow, htmlLang, openPage } from '../../helpers/browser'
import type { Page } from '../../helpers/browser'
import { driver, sessionCookieName } from '../../helpers/session_store'
import { unsignedCookieValue } from '../../helpers/visitor'

/**
 * What the inspector says, in French, about the old record once the id has
 * been regenerated.
 */
const oldRecordGone = {
  cookie: (prefix: string) => `L'ancien cookie ${prefix} a disparu de votre navigateur.`,
  file: (prefix: string) =>
    `L'ancien fichier tmp/sessions/${prefix}.txt ne contient plus votre session : il marque seulement l'ancien identifiant comme terminé.`,
  redis: (prefix: string) =>
    `L'ancienne clé session:${prefix} ne contient plus votre session : elle marque seulement l'ancien identifiant comme terminé.`,
  database: (prefix: string) =>
    `L'ancienne ligne ${prefix} ne contient plus votre session : elle marque seulement l'ancien identifiant comme terminé.`,
}[driver]

async function sessionId(page: Page) {
  const name = sessionCookieName()
  const cookie = (await page.context().cookies()).find((candidate) => candidate.name === name)
  return unsignedCookieValue(cookie!.value)
}

function text(page: Page, id: string) {
  return page.locator(`#${id}`).innerText()
}

/**
 * The keys the session table lists, and the value shown for `userLanguage`.
 */
async function sessionTable(page: Page) {
  const keys = await page.locator('#session-values tbody th').allInnerTexts()
  const language = page
    .locator('#session-values tbody tr')
    .filter({ has: page.getByRole('rowheader', { name: 'userLanguage', exact: true }) })
    .locator('td')
  return { keys, language: (await language.count()) ? await language.innerText() : null }
}

test.group('Session inspector in the browser', () => {
  test('shows the language after a switch, and "Regenerate id" changes the id prefix', async ({
    assert,
    browser,
  }) => {
    const page = await openPage(browser)
    await page.goto('/')
    await follow(page, 'Session inspector')

    assert.equal(new URL(page.url()).pathname, '/session')
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Session inspector')
    assert.equal(await text(page, 'inspector-driver'), driver)
    assert.notInclude((await sessionTable(page)).keys, 'userLanguage')

    await follow(page, 'FR')

    assert.equal(new URL(page.url()).pathname, '/session')
    assert.equal(await htmlLang(page), 'fr')
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Inspecteur de session')
    assert.equal((await sessionTable(page)).language, '"fr"')

    const oldId = await sessionId(page)
    const before = await text(page, 'inspector-id')
    assert.equal(before, `${oldId.slice(0, 8)}…`)

    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: "Régénérer l'identifiant" }).click(),
    ])

    const newId = await sessionId(page)
    const after = await text(page, 'inspector-id')
    assert.notEqual(newId, oldId)
    assert.equal(after, `${newId.slice(0, 8)}…`)
    assert.notEqual(after, before)
    assert.equal(await text(page, 'regenerated-from'), before)
    assert.equal(await text(page, 'regenerated-to'), after)
    assert.equal(await text(page, 'regenerated-record'), oldRecordGone(before))

    // Same values under the new id: still French.
    assert.equal(await htmlLang(page), 'fr')
    assert.equal((await sessionTable(page)).language, '"fr"')
  })

  test('"Race two requests": the page says which change the session kept, per driver', async ({
    assert,
    browser,
  }) => {
    const page = await openPage(browser)
    await page.goto('/language/en')
    await page.goto('/session')

    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Race two requests' }).click(),
    ])

    const kept = [await text(page, 'race-slow'), await text(page, 'race-quick')]
    if (driver === 'cookie') {
      assert.sameMembers(kept, ['kept', 'lost'])
    } else {
      assert.deepEqual(kept, ['kept', 'kept'])
    }
    assert.include(await text(page, 'race-why'), `${driver} driver`)
    // Neither request touched the language, in its own cookie or key.
    assert.equal(await htmlLang(page), 'en')
  })

  test('without JavaScript the race button stays hidden and the page says why', async ({
    assert,
    browser,
  }) => {
    const page = await openPage(browser, { javaScriptEnabled: false })
    await page.goto('/session')

    assert.isFalse(await page.getByRole('button', { name: 'Race two requests' }).isVisible())
    assert.include(await text(page, 'inspector-race'), 'This demonstration needs JavaScript')
  })
})
