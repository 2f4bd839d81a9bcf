import { test } from '@japa/runner'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileDriver, newSessionId } from '../../../providers/SessionDriver'
import type { StoreOperation } from '../../../providers/SessionDriver'
import { SessionChange } from '../../../providers/SessionDriver/Change'
import { driver } from '../../helpers/session_store'

/**
 * A file driver of its own on a temporary folder, reporting its operations.
 */
function reportingFileDriver(folder: string, operations: StoreOperation[]) {
  return new FileDriver(folder, {
    ageMs: 60_000,
    unavailable: (store, cause) => new Error(`${store}: ${cause}`),
    ended: (store) => new Error(`${store}: ended`),
    shedInput: (flash) => flash,
    onStoreOperation: (operation) => operations.push(operation),
  })
}

test.group('The drivers report each store operation (onStoreOperation)', () => {
  test('a read and a commit are reported with their time and lock wait', async ({
    assert,
    cleanup,
  }) => {
    const folder = mkdtempSync(join(tmpdir(), 'ops-'))
    cleanup(() => rmSync(folder, { recursive: true, force: true }))
    const operations: StoreOperation[] = []
    const files = reportingFileDriver(folder, operations)
    const sessionId = newSessionId()
    const change = new SessionChange()
    change.put('userLanguage', 'fr')

    await files.commit({ sessionId, loaded: null, change, ctx: {} as any })
    const loaded = await files.load(sessionId)

    assert.deepEqual(loaded?.values, { userLanguage: 'fr' })
    assert.deepEqual(
      operations.map(({ driver: store, kind, error }) => ({ store, kind, error })),
      [
        { store: 'file', kind: 'commit', error: false },
        { store: 'file', kind: 'read', error: false },
      ]
    )
    assert.isAtLeast(operations[0].ms, 0)
    assert.isAtLeast(operations[0].lockWaitMs!, 0)
  }).skip(driver !== 'file', 'a driver of its own: once is enough')

  test('a failed operation is reported as an error', async ({ assert, cleanup }) => {
    const folder = mkdtempSync(join(tmpdir(), 'ops-'))
    cleanup(() => rmSync(folder, { recursive: true, force: true }))
    const operations: StoreOperation[] = []
    const files = reportingFileDriver(join(folder, 'missing', '\0'), operations)

    await assert.rejects(() => files.load(newSessionId()))

    assert.lengthOf(operations, 1)
    assert.include(operations[0], { driver: 'file', kind: 'read', error: true })
  }).skip(driver !== 'file', 'a driver of its own: once is enough')
})
