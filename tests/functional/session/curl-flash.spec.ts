import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { driver } from '../../helpers/session_store'
import { appUrl } from '../../helpers/visitor'

/**
 * The system's curl (Debian 12: 7.88) with a cookie jar, as people try a
 * site from a terminal: `curl -L -c jar -b jar <url>`.
 */
function curlWithJar(jar: string) {
  return async (path: string) => {
    const { stdout } = await promisify(execFile)('curl', [
      '--silent',
      '--show-error',
      '--location',
      '--cookie-jar',
      jar,
      '--cookie',
      jar,
      '--header',
      'Accept: text/html',
      `${appUrl()}${path}`,
    ])
    return stdout
  }
}

test.group(`A flash message seen with curl (${driver} driver)`, () => {
  test('curl with a cookie jar shows the message once, and the next page has none', async ({
    assert,
    cleanup,
  }) => {
    const folder = mkdtempSync(join(tmpdir(), 'curl-'))
    cleanup(() => rmSync(folder, { recursive: true, force: true }))
    const curl = curlWithJar(join(folder, 'jar'))

    await curl('/language/fr')
    const withMessage = await curl('/language/klingon')
    const next = await curl('/')
    const after = await curl('/posts')

    assert.include(withMessage, 'flash-error')
    assert.notInclude(next, 'flash-error')
    assert.notInclude(after, 'flash-error')
    assert.include(after, '<html lang="fr">')
  })
})
