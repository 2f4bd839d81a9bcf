import { test } from '@japa/runner'
import SessionStore from 'App/Services/SessionStore'
import { AppProcess } from '../../../support/app_process'
import { visibleText } from '../../helpers/visitor'

/**
 * An app whose database cannot be opened: the list of posts fails with an
 * unexpected error, a 500.
 */
const brokenDatabase = { DB_FILE: 'tmp/no-such-folder/posts.sqlite3' }

test.group('Security: a server error shows a stack to the developer only', () => {
  for (const environment of ['development', 'production']) {
    test(`in ${environment}`)
      .skip(SessionStore.driver !== 'cookie', 'the error page does not depend on the driver')
      .run(async ({ assert }) => {
        const app = await AppProcess.start({ NODE_ENV: environment, ...brokenDatabase })
        try {
          const response = await fetch(`${app.url}/posts`, { headers: { accept: 'text/html' } })
          const html = await response.text()

          assert.equal(response.status, 500)
          if (environment === 'development') {
            // Youch, the framework's page: the error and where it was thrown.
            assert.include(html, 'Cannot open database')
            assert.include(html, `class="error-stack"`)
          } else {
            assert.include(visibleText(html), 'Something went wrong')
            assert.notInclude(html, 'Cannot open database')
            assert.notInclude(html, 'node_modules')
          }
        } finally {
          await app.kill()
        }
      })
  }
})
