import { test } from '@japa/runner'
import { freePort } from '../../../support/services'

test.group('Free ports for the servers the tests start', () => {
  test('no port is handed out twice, even before anything binds it', async ({ assert }) => {
    // A fleet picks about twenty ports before it starts a server, and the
    // kernel may give a port it just gave again: two servers on one port.
    const ports: number[] = []
    for (let i = 0; i < 500; i++) {
      ports.push(await freePort())
    }

    const repeated = ports.filter((port, index) => ports.indexOf(port) !== index)
    assert.deepEqual(repeated, [])
  })
})
