import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright'

/**
 * The app the suite runs against (HOST and PORT from bin/test.js).
 */
export function appUrl() {
  return `http://${process.env.HOST}:${process.env.PORT}`
}

/**
 * Another visitor: a browser context of its own, with no cookies. The
 * artifacts plugin closes it after the test.
 */
export async function newVisitor(browser: Browser, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ baseURL: appUrl(), ...options })
  // Fail with the missing element's name well before the test timeout.
  context.setDefaultTimeout(10_000)
  return context
}

/**
 * What the home page says about the stored language.
 */
export function currentLanguage(page: Page) {
  return page.locator('#current-language').innerText()
}

export function htmlLang(page: Page) {
  return page.locator('html').getAttribute('lang')
}

/**
 * Clicks a link and waits for the page it leads to (after any redirect).
 */
export async function follow(page: Page, name: string) {
  await Promise.all([
    page.waitForEvent('load'),
    page.getByRole('link', { name, exact: true }).click(),
  ])
}

/**
 * Fills the post form the way a visitor does and presses its button.
 */
export async function submitPost(page: Page, fields: { title: string; body: string }) {
  await page.locator('#title').fill(fields.title)
  await page.locator('#body').fill(fields.body)
  await Promise.all([page.waitForEvent('load'), page.locator('form button[type=submit]').click()])
}

/**
 * The two kinds of visitor every story runs for: a browser with JavaScript
 * and one without. The app must not need script for anything.
 */
export const javaScriptModes: Record<string, BrowserContextOptions> = {
  'with JavaScript': { javaScriptEnabled: true },
  'with JavaScript disabled': { javaScriptEnabled: false },
}

/**
 * A page in a new browser context: a new visitor with no cookies.
 */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}) {
  return (await newVisitor(browser, options)).newPage()
}

export type { Browser, BrowserContext, Page }
