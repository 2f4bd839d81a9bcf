import { test } from '@japa/runner'
import http from 'node:http'
import net from 'node:net'
import { existsSync, rmSync } from 'node:fs'
import BetterSqlite from 'better-sqlite3'
import Application from '@ioc:Adonis/Core/Application'
import Database from '@ioc:Adonis/Lucid/Database'
import SessionStore from 'App/Services/SessionStore'
import { startRedis } from '../../../support/services'
import { AppProcess } from '../../../support/app_process'
import { Visitor, csrfToken } from '../../helpers/visitor'

const driver = SessionStore.driver

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A POST whose body is still arriving: the headers and half the body now,
 * the rest when `finish()` is called. Resolves with the response.
 */
function slowPost(url: string, cookie: string, body: string) {
  const request = http.request(url, {
    method: 'POST',
    headers: {
      'cookie': cookie,
      'accept': 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
    },
  })
  const response = new Promise<{ status: number; location?: string }>((resolve, reject) => {
    request.on('response', (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location }))
    })
    request.on('error', reject)
  })
  const half = Math.floor(body.length / 2)
  request.write(body.slice(0, half))
  return { response, finish: () => request.end(body.slice(half)) }
}

/**
 * Every command Redis receives, as `MONITOR` prints them.
 */
function monitor(port: number) {
  let seen = ''
  const socket = net.connect(port, '127.0.0.1', () => socket.write('MONITOR\r\n'))
  socket.on('data', (data) => (seen += data.toString()))
  return { seen: () => seen, close: () => socket.destroy() }
}

/**
 * What each driver needs from outside the app process, and what its
 * shutdown must have done to it.
 */
const stores = {
  cookie: async () => ({ env: {}, closed: async (_assert: any) => {}, stop: async () => {} }),
  file: async () => ({ env: {}, closed: async (_assert: any) => {}, stop: async () => {} }),
  redis: async () => {
    const redis = await startRedis()
    const commands = monitor(redis.port)
    return {
      env: { REDIS_PORT: String(redis.port) },
      async closed(assert: any) {
        await pause(100)
        assert.match(commands.seen(), /"quit"/i, 'the app sent QUIT to Redis')
      },
      async stop() {
        commands.close()
        await redis.stop()
      },
    }
  },
}

test.group(`Graceful shutdown (${driver} driver)`, () => {
  test('SIGTERM lets an in-flight request finish, then closes Redis and the database', async ({
    assert,
  }) => {
    // A database of the instance's own, so its closing can be seen: SQLite
    // removes the -wal file when the last connection closes cleanly.
    const dbFile = `tmp/shutdown-${driver}-${process.pid}.sqlite3`
    const dbPath = Application.makePath(dbFile)
    await Database.rawQuery('VACUUM INTO ?', [dbPath])
    const store = await stores[driver]()
    const app = await AppProcess.start({ SESSION_DRIVER: driver, DB_FILE: dbFile, ...store.env })

    try {
      const visitor = new Visitor(app.url)
      const token = csrfToken((await visitor.get('/posts/create')).html)
      const post = slowPost(
        `${app.url}/posts`,
        visitor.cookieHeader(),
        new URLSearchParams({
          _csrf: token,
          title: 'In flight',
          body: 'x'.repeat(4000),
        }).toString()
      )
      // A failed test ends the instance; its request must not fail the run.
      post.response.catch(() => {})
      await pause(300)

      app.child.kill('SIGTERM')
      await pause(300)
      assert.isNull(app.child.exitCode, 'waits for the request in flight')
      const refused = await fetch(`${app.url}/`).then(
        () => false,
        () => true
      )
      assert.isTrue(refused, 'takes no new connection')

      post.finish()
      const response = await post.response
      const exit = await app.exited

      assert.equal(response.status, 302)
      assert.equal(response.location, '/posts')
      assert.deepEqual(exit, { code: 0, signal: null })
      assert.isFalse(existsSync(`${dbPath}-wal`), 'the database was closed')
      const db = new BetterSqlite(dbPath, { readonly: true })
      const saved = db
        .prepare("select count(*) as total from posts where title = 'In flight'")
        .get()
      db.close()
      assert.deepEqual(saved, { total: 1 })
      await store.closed(assert)
    } finally {
      await app.kill()
      await store.stop()
      for (const suffix of ['', '-wal', '-shm']) {
        rmSync(dbPath + suffix, { force: true })
      }
    }
  })
})
