import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { driver, lockFile } from '../../helpers/session_store'
import { Visitor, textOf } from '../../helpers/visitor'

const ITALIAN = 'La tua lingua attuale è italiano (it)'

/**
 * A process that is killed with SIGKILL, as a crash would: its pid is then
 * known to be gone.
 */
async function killedProcessPid() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
  return child.pid!
}

test.group('A session lock left behind (file driver)', () => {
  test('a lock whose process was killed does not block the session', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    writeFileSync(lockFile(visitor.sessionId()!), `${await killedProcessPid()} ${hostname()} dead`)

    const started = Date.now()
    await visitor.get('/language/it')

    assert.isBelow(Date.now() - started, 3000)
    assert.equal(textOf((await visitor.get('/')).html, 'current-language'), ITALIAN)
  }).skip(driver !== 'file', 'only the file driver takes locks')

  test('a lock held by a process that hangs is broken within a few seconds', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.get('/language/fr')
    // A live process (this one) that never releases it.
    writeFileSync(lockFile(visitor.sessionId()!), `${process.pid} ${hostname()} hung`)

    const started = Date.now()
    const page = await visitor.get('/language/it')

    assert.equal(page.status, 200)
    assert.isBelow(Date.now() - started, 8000)
    assert.equal(textOf((await visitor.get('/')).html, 'current-language'), ITALIAN)
  }).skip(driver !== 'file', 'only the file driver takes locks')
})
