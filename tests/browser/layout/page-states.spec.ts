import { test } from '@japa/runner'
import Post from 'App/Models/Post'
import { openPage, submitPost } from '../../helpers/browser'
import type { Page } from '../../helpers/browser'
import { axeViolations, consoleErrors, sidewaysOverflow } from '../../helpers/page_checks'
import { driver } from '../../helpers/session_store'

const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 800 }

/**
 * Clicks a button and waits for the page it leads to.
 */
async function press(page: Page, selector: string) {
  await Promise.all([page.waitForEvent('load'), page.locator(selector).click()])
}

/**
 * Every page and state a visitor can reach, each reached the way a visitor
 * does, after choosing the language (except the very first visit).
 */
const states: Record<string, (page: Page) => Promise<void>> = {
  'home': (page) => page.goto('/').then(() => {}),
  'home, unsupported language': (page) => page.goto('/language/xx').then(() => {}),
  'posts list': (page) => page.goto('/posts').then(() => {}),
  'posts list, just published': async (page) => {
    await page.goto('/posts/create')
    await submitPost(page, { title: 'A post on a phone', body: 'Published from the layout test.' })
  },
  'form': (page) => page.goto('/posts/create').then(() => {}),
  'form with errors, panel open': async (page) => {
    await page.goto('/posts/create')
    await submitPost(page, { title: '', body: 'x'.repeat(400) })
    await page.locator('details.inspect summary').click()
  },
  'inspector': (page) => page.goto('/session').then(() => {}),
  'inspector after regenerate': async (page) => {
    await page.goto('/session')
    await press(page, 'form[action="/session/regenerate"] button')
  },
  'inspector after reflash': async (page) => {
    await page.goto('/session')
    await press(page, 'form[action="/session/reflash"] button')
  },
  'inspector after a race': async (page) => {
    await page.goto('/session')
    await press(page, '#race-form button[value="returning"]')
    await page.locator('#race-result').waitFor()
  },
  'inspector after a race as a new visitor': async (page) => {
    await page.goto('/session')
    await press(page, '#race-form button[value="new"]')
    await page.locator('#new-visitor-result').waitFor()
  },
  'error page (404)': (page) => page.goto('/no/such/page').then(() => {}),
}

const rows = [
  { state: 'home', language: 'not chosen' },
  ...Object.keys(states).flatMap((state) =>
    ['en', 'fr', 'it'].map((language) => ({ state, language }))
  ),
]

/**
 * The inspector shows what each driver stores, so its states are checked
 * with every driver; the other pages show the same whatever the driver,
 * so they are checked once, in the cookie driver's run.
 */
const inspectorRows = rows.filter(({ state }) => state.startsWith('inspector'))
const otherRows = rows.filter(({ state }) => !state.startsWith('inspector'))
const ONCE = 'the same with every driver: checked in the cookie driver run'

async function open(browser: any, viewport: typeof PHONE, { state, language }: (typeof rows)[0]) {
  const page = await openPage(browser, { viewport })
  const errors = consoleErrors(page)
  if (language !== 'not chosen') {
    await page.goto(`/language/${language}`)
  }
  await states[state](page)
  return { page, errors }
}

test.group('Every page state', (group) => {
  group.setup(async () => {
    // Long words and a long body: the list must wrap them, not scroll.
    await Post.createMany([
      { title: 'Session'.repeat(17), body: 'flashMessages.get'.repeat(40) },
      { title: 'Un titre assez long pour passer à la ligne', body: 'Un texte.\n'.repeat(30) },
    ])
  })

  for (const [kind, selected] of [
    ['inspector', inspectorRows],
    ['page', otherRows],
  ] as const) {
    test(`{state} ({language}) fits a 390 px screen, with no axe violation and no console error`)
      .with(selected)
      .skip(kind === 'page' && driver !== 'cookie', ONCE)
      .run(async ({ assert, browser }, row) => {
        const { page, errors } = await open(browser, PHONE, row)

        const { width, wider } = await sidewaysOverflow(page)
        assert.isAtMost(width, PHONE.width, `sideways scroll; wider than the screen: ${wider}`)
        assert.deepEqual(await axeViolations(page), [])
        assert.deepEqual(errors, [])
      })

    test('{state} ({language}) on a desktop screen: no axe violation and no console error')
      .with(selected.filter(({ language }) => language !== 'fr' && language !== 'it'))
      .skip(kind === 'page' && driver !== 'cookie', ONCE)
      .run(async ({ assert, browser }, row) => {
        const { page, errors } = await open(browser, DESKTOP, row)

        assert.deepEqual(await axeViolations(page), [])
        assert.deepEqual(errors, [])
      })
  }
})
