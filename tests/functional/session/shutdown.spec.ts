import { test } from '@japa/runner'
import http from 'node:http'
import net from 'node:net'
import { existsSync, rmSync } from 'node:fs'
import BetterSqlite from 'better-sqlite3'
import Application from '@ioc:Adonis/Core/Application'
import Database from '@ioc:Adonis/Lucid/Database'
import { AppProcess } from '../../../support/app_process'
import { until } from '../../../support/poll'
import { startRedis } from '../../../support/services'
import type { RedisServer } from '../../../support/services'
import { driver } from '../../helpers/session_store'
import { Visitor, csrfToken } from '../../helpers/visitor'

/**
 * A POST whose body is still arriving. Resolves `inFlight` once the app has
 * read the headers (it answers `Expect: 100-continue`) and half the body has
 * been sent; the rest goes when `finish()` is called. `response` resolves
 * with the answer.
 */
function slowPost(url: string, cookie: string, body: string) {
  const request = http.request(url, {
    method: 'POST',
    headers: {
      'cookie': cookie,
      'accept': 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
      'expect': '100-continue',
    },
  })
  const half = Math.floor(body.length / 2)
  const inFlight = new Promise<void>((resolve) => {
    request.once('continue', () => request.write(body.slice(0, half), () => resolve()))
  })
  const response = new Promise<{ status: number; location?: string }>((resolve, reject) => {
    request.on('response', (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location }))
    })
    request.on('error', reject)
  })
  request.flushHeaders()
  return { inFlight, response, finish: () => request.end(body.slice(half)) }
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

function refusesConnections(url: string) {
  return fetch(url).then(
    () => false,
    () => true
  )
}

test.group(`Graceful shutdown (${driver} driver)`, () => {
  test(`SIGTERM lets an in-flight request finish, then closes ${
    driver === 'redis' ? 'Redis and ' : ''
  }the database`, async ({ assert, cleanup }) => {
    // A database of the instance's own, so its closing can be seen: SQLite
    // removes the -wal file when the last connection closes cleanly.
    const dbFile = `tmp/shutdown-${driver}-${process.pid}.sqlite3`
    const dbPath = Application.makePath(dbFile)
    await Database.rawQuery('VACUUM INTO ?', [dbPath])
    cleanup(() => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true })
    })

    let redis: RedisServer | undefined
    let commands: ReturnType<typeof monitor> | undefined
    if (driver === 'redis') {
      redis = await startRedis()
      commands = monitor(redis.port)
      cleanup(async () => {
        commands!.close()
        await redis!.stop()
      })
    }
    const app = await AppProcess.start({
      SESSION_DRIVER: driver,
      DB_FILE: dbFile,
      ...(redis ? { REDIS_PORT: String(redis.port) } : {}),
    })
    cleanup(() => app.kill())

    const visitor = new Visitor(app.url)
    const token = csrfToken((await visitor.get('/posts/create')).html)
    const post = slowPost(
      `${app.url}/posts`,
      visitor.cookieHeader(),
      new URLSearchParams({ _csrf: token, title: 'In flight', body: 'x'.repeat(4000) }).toString()
    )
    // A failed test ends the instance; its request must not fail the run.
    post.response.catch(() => {})
    await post.inFlight

    app.child.kill('SIGTERM')
    await until(() => refusesConnections(`${app.url}/`), {
      message: 'the app to stop taking connections',
    })
    assert.isTrue(app.running, 'waits for the request in flight')

    post.finish()
    const response = await post.response
    const exit = await app.exited

    assert.equal(response.status, 302)
    assert.equal(response.location, '/posts')
    assert.deepEqual(exit, { code: 0, signal: null })
    assert.isFalse(existsSync(`${dbPath}-wal`), 'the database was closed')
    const db = new BetterSqlite(dbPath, { readonly: true })
    const saved = db.prepare("select count(*) as total from posts where title = 'In flight'").get()
    db.close()
    assert.deepEqual(saved, { total: 1 })
    if (commands) {
      // MONITOR may print the last command a moment after the exit.
      const quit = await until(() => /"quit"/i.test(commands!.seen())).then(
        () => true,
        () => false
      )
      assert.isTrue(quit, 'the app sent QUIT to Redis')
    }
  })
})
