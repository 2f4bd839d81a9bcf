import { test } from '@japa/runner'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { driver } from '../../helpers/session_store'

const { ensureEnvFile } = require('../../../bin/setup')

test.group('Security: a fresh checkout is closed by default', () => {
  test(
    'the .env that setup writes binds the app to this machine only, trusts no proxy and names no host'
  )
    .skip(driver !== 'cookie', 'the env file does not depend on the driver')
    .run(({ assert }) => {
      const folder = mkdtempSync(join(tmpdir(), 'env-'))
      try {
        const envFile = join(folder, '.env')
        assert.isTrue(ensureEnvFile(envFile))
        const env = Object.fromEntries(
          readFileSync(envFile, 'utf8')
            .split('\n')
            .filter((line) => /^[A-Z_]+=/.test(line))
            .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
        )

        assert.equal(env.HOST, '127.0.0.1')
        assert.equal(env.TRUSTED_PROXIES, '')
        assert.equal(env.INSTANCE_NAME, '')
        assert.match(env.APP_KEY, /^[\w-]{32,}$/)
      } finally {
        rmSync(folder, { recursive: true, force: true })
      }
    })
})
