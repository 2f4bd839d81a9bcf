import { readFileSync } from 'node:fs'
import type { Page } from 'playwright'

/**
 * axe-core from node_modules (a dev dependency): nothing is downloaded.
 */
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export type AxeViolation = { id: string; impact: string; help: string; targets: string[] }

/**
 * Runs axe-core on the page as it is now and returns its violations, each
 * with the elements it found. The script is evaluated through the browser's
 * devtools protocol, which the page's CSP (script-src 'self') does not apply
 * to, so the page keeps its real policy while it is checked.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource)
  return page.evaluate(`
    axe.run(document, { resultTypes: ['violations'] }).then(({ violations }) =>
      violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(' ')),
      }))
    )
  `)
}

/**
 * The elements that reach past the right edge of the viewport, by tag, id
 * and class, with the page's scroll width: an empty list means no sideways
 * scrolling.
 */
export async function sidewaysOverflow(page: Page): Promise<{ width: number; wider: string[] }> {
  return page.evaluate(`(() => {
    const limit = document.documentElement.clientWidth
    const wider = [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > limit + 0.5)
      .map((element) =>
        [element.tagName.toLowerCase(), element.id && '#' + element.id, ...element.classList]
          .filter(Boolean)
          .join('.')
      )
    return { width: document.documentElement.scrollWidth, wider }
  })()`)
}

/**
 * Collects what the page logs as an error from now on: script errors,
 * refusals by the Content-Security-Policy (an inline style, say), and
 * resources that failed to load. The status of the page itself is left out:
 * an error page answers with its own status on purpose.
 */
export function consoleErrors(page: Page) {
  const errors: string[] = []
  page.on('console', (message) => {
    const ownStatus =
      message.location().url === page.url() && message.text().startsWith('Failed to load resource')
    if (message.type() === 'error' && !ownStatus) {
      errors.push(`${message.text()} (${message.location().url})`)
    }
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}
