import { test } from '@japa/runner'
import { dirname, join } from 'node:path'
import { mainFleet, startSideFleet, visitorOf } from '../helpers/fleet'

/**
 * A folder under the suite's own (so under the checkout, as every fleet's
 * folder is) longer than `length` characters: a clone that lives deep down.
 */
function deepFolder(length: number) {
  const base = dirname(mainFleet().dir)
  let name = 'deep'
  while (join(base, name).length <= length) name = join(name, 'a-folder-of-a-deep-checkout')
  return name
}

test.group('Fleet: from a deep folder', () => {
  test('starts, answers, and its HAProxy takes runtime commands', async ({ assert }) => {
    // A Unix socket's path stops at about 100 bytes: a socket derived from
    // this folder would stop HAProxy from starting.
    const fleet = await startSideFleet(deepFolder(150), { driver: 'cookie', instances: 1 })
    try {
      assert.isAbove(fleet.dir.length, 150)
      assert.equal((await visitorOf(fleet).get('/')).status, 200)
      const servers = await fleet.haproxy.servers()
      assert.deepEqual(
        servers.map((server) => `${server.name} ${server.status}`),
        ['app-1 UP']
      )
    } finally {
      await fleet.stop()
    }
  })
})
