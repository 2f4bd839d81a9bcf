import { test } from '@japa/runner'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import Application from '@ioc:Adonis/Core/Application'
import { driver } from '../../helpers/session_store'

/**
 * The app's own sources, every folder a request passes through.
 */
function sources(folder: string): string[] {
  return readdirSync(Application.makePath(folder), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(folder, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(folder, entry.name)]
        : []
  )
}

test.group('Security: no request gets a shape of its own', () => {
  test('no code of the app defines a property on an object at run time')
    .skip(driver !== 'cookie', 'the sources do not depend on the driver')
    .run(({ assert }) => {
      // A property defined per request, with a closure over the context, gave
      // every request object a shape of its own and kept each request alive
      // into V8's old generation: GC took a third of the CPU under load.
      const found = ['app', 'start', 'providers', 'config'].flatMap((folder) =>
        sources(folder).filter((file) =>
          /\bdefineProperty\b|__defineGetter__/.test(
            readFileSync(Application.makePath(file), 'utf8')
          )
        )
      )

      assert.deepEqual(found, [])
    })
})
