import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import SessionStore from 'App/Services/SessionStore'
import { startRedis } from '../../../support/services'
import { AppProcess } from '../../../support/app_process'
import { Visitor, visibleText } from '../../helpers/visitor'

const driver = SessionStore.driver
const isRoot = process.getuid?.() === 0

/**
 * The app as production runs it (JSON logs, one line per entry), with its
 * own redis-server for the redis driver, so the test can stop it.
 */
async function startApp() {
  const redis = driver === 'redis' ? await startRedis() : undefined
  const app = await AppProcess.start({
    NODE_ENV: 'production',
    ...(redis ? { REDIS_PORT: String(redis.port) } : {}),
  })
  let output = ''
  app.child.stdout!.on('data', (chunk) => (output += chunk))
  return {
    app,
    redis,
    /** Forgets the log so far. */
    clearLog() {
      output = ''
    },
    /**
     * The log lines written since `clearLog()`, once one of them matches
     * `pattern`: a line reaches the test through a pipe, after the response.
     */
    async linesOnceLogged(pattern: RegExp, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (!pattern.test(output) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return output.split('\n').filter(Boolean)
    },
    async stop() {
      await app.kill()
      await redis?.stop()
    },
  }
}

/**
 * Every line is one JSON entry under 1 KB, without a stack or a session id.
 */
function assertQuietLines(assert: any, lines: string[], sessionId: string) {
  for (const line of lines) {
    assert.isBelow(line.length, 1024, line)
    assert.notInclude(line, '"stack"', line)
    assert.notInclude(line, sessionId, 'a raw session id in the log')
    JSON.parse(line)
  }
}

async function returningVisitor(url: string) {
  const visitor = new Visitor(url)
  await visitor.get('/language/fr')
  return { visitor, sessionId: visitor.sessionId()! }
}

test.group(`Security: what /health and the log give away (${driver} driver)`, (group) => {
  let started: Awaited<ReturnType<typeof startApp>>

  group.setup(async () => {
    started = await startApp()
    return () => started.stop()
  })

  test('expected failures are logged on one line each, without a stack or a session id', async ({
    assert,
  }) => {
    const { app } = started
    const { visitor, sessionId } = await returningVisitor(app.url)
    started.clearLog()

    await visitor.get('/no/such/page')
    await visitor.post('/posts', { title: 'No token', body: 'x' })
    await visitor.request('POST', '/posts', { body: 'x', headers: { 'content-type': 'text/xml' } })
    await visitor.submit('/posts/create', '/posts', { title: 'ab' })

    const lines = await started.linesOnceLogged(/E_UNSUPPORTED_MEDIA_TYPE/)
    assert.isTrue(
      lines.some((line) => JSON.parse(line).status === 403),
      'the CSRF failure is logged with its status'
    )
    assertQuietLines(assert, lines, sessionId)
  })

  test('a session folder that can take no new file: /health says so, names only the folder')
    .skip(
      driver !== 'file' || !isRoot,
      driver !== 'file' ? 'the file driver only' : 'mounting a full tmpfs needs root'
    )
    .run(async ({ assert }) => {
      const { app } = started
      const { visitor, sessionId } = await returningVisitor(app.url)
      const folder = SessionStore.config.file!.location
      mkdirSync(folder, { recursive: true })
      // A file system with no inode left: the folder is writable, yet no
      // file can be created in it, as on a full disk.
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,nr_inodes=1', 'tmpfs', folder])
      try {
        started.clearLog()
        const health = await fetch(`${app.url}/health`)
        const page = await visitor.get('/language/it')

        assert.equal(health.status, 503)
        assert.deepEqual(((await health.json()) as any).session.store, {
          ok: false,
          error: 'The session folder is unavailable',
        })
        assert.equal(page.status, 503)
        assert.include(visibleText(page.html), 'Archivio delle sessioni non disponibile')
        const lines = await started.linesOnceLogged(/E_SESSION_STORE_UNAVAILABLE[\s\S]*\n/)
        assert.isTrue(
          lines.some((line) => JSON.parse(line).reason === 'ENOSPC'),
          lines.join('\n')
        )
        assertQuietLines(assert, lines, sessionId)
      } finally {
        execFileSync('umount', [folder])
      }
    })

  test('Redis down: /health names Redis only, the log says why')
    .skip(driver !== 'redis', 'the redis driver only')
    .run(async ({ assert }) => {
      const { app, redis } = started
      const { visitor, sessionId } = await returningVisitor(app.url)
      await redis!.stop()
      started.clearLog()

      const health = await fetch(`${app.url}/health`)
      const body = await health.text()
      const page = await visitor.get('/language/it')

      assert.equal(health.status, 503)
      assert.deepEqual(JSON.parse(body).session.store, { ok: false, error: 'Redis is unavailable' })
      assert.notInclude(body, String(redis!.port))
      assert.equal(page.status, 503)
      const lines = await started.linesOnceLogged(/E_SESSION_STORE_UNAVAILABLE[\s\S]*\n/)
      assert.isTrue(
        lines.some((line) => JSON.parse(line).reason === 'ECONNREFUSED'),
        lines.join('\n')
      )
      assertQuietLines(assert, lines, sessionId)
    })
})
