import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { PluginFn } from '@japa/runner'
import type { Browser, BrowserContext } from 'playwright'

type Options = {
  /** Where the files go; one folder per session driver inside it. */
  outputDirectory: string
  runInSuites: string[]
}

/**
 * A Japa plugin for the browser suite. When a test fails, every page still
 * open is saved as a screenshot and as HTML, and the paths are printed. Then
 * the extra browser contexts a test opened (other visitors) are closed.
 *
 * It must come after `browserClient()` in the plugin list: cleanup functions
 * run in reverse order, so this one runs while the test's context is open.
 */
export function browserArtifacts({ outputDirectory, runInSuites }: Options): PluginFn {
  const directory = join(outputDirectory, process.env.SESSION_DRIVER || 'cookie')

  return (_config, runner) => {
    runner.onSuite((suite) => {
      if (!runInSuites.includes(suite.name)) {
        return
      }

      suite.setup(() => rm(directory, { recursive: true, force: true }))
      suite.onGroup((group) => {
        group.each.setup((test) => {
          return async (hasError: boolean) => {
            const { browser, browserContext } = test.context
            if (hasError) {
              await saveArtifacts(browser, join(directory, slug(test.title)))
            }
            await closeOthers(browser, browserContext)
          }
        })
      })
    })
  }
}

async function saveArtifacts(browser: Browser, basePath: string) {
  await mkdir(join(basePath, '..'), { recursive: true })
  const pages = browser.contexts().flatMap((context) => context.pages())

  for (const [index, page] of pages.entries()) {
    const name = pages.length > 1 ? `${basePath}-${index + 1}` : basePath
    try {
      await page.screenshot({ path: `${name}.png`, fullPage: true })
      await writeFile(`${name}.html`, await page.content())
      console.log(`    screenshot: ${relative(process.cwd(), name)}.png (${page.url()})`)
      console.log(`    html:       ${relative(process.cwd(), name)}.html`)
    } catch (error) {
      console.log(`    could not save ${page.url()}: ${error.message}`)
    }
  }
}

async function closeOthers(browser: Browser, keep: BrowserContext) {
  for (const context of browser.contexts()) {
    if (context !== keep) {
      await context.close()
    }
  }
}

function slug(title: string) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80)
}
