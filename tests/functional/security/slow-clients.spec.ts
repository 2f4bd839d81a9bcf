import { test } from '@japa/runner'
import net from 'node:net'
import Env from '@ioc:Adonis/Core/Env'
import SessionStore from 'App/Services/SessionStore'
import { Visitor } from '../../helpers/visitor'

/**
 * A raw connection to the app: what it writes is sent as given, and
 * `closed` resolves with what the server answered and when it closed.
 */
function rawSocket(first: string) {
  const started = Date.now()
  const socket = net.connect(Env.get('PORT'), Env.get('HOST'), () => socket.write(first))
  let answer = ''
  socket.on('data', (chunk) => (answer += chunk))
  const closed = new Promise<{ answer: string; seconds: number }>((resolve) => {
    socket.on('close', () => resolve({ answer, seconds: (Date.now() - started) / 1000 }))
    socket.on('error', () => {})
  })
  // A bound of its own, so a server that never closes fails the test
  // instead of hanging it.
  const stop = setTimeout(() => socket.destroy(), 55_000)
  closed.then(() => clearTimeout(stop))
  return { socket, closed }
}

test.group('Security: slow clients', () => {
  test('slow headers, a slow body and an idle keep-alive connection are closed in time')
    .skip(
      SessionStore.driver !== 'cookie',
      'the HTTP server does not depend on the session driver: run once'
    )
    .run(async ({ assert }) => {
      const host = `${Env.get('HOST')}:${Env.get('PORT')}`
      // Headers that never end.
      const slowHeaders = rawSocket(`GET / HTTP/1.1\r\nHost: ${host}\r\nX-Slow: a`)
      // A body that never arrives in full, from a visitor who opened the
      // form: without its CSRF secret the post is refused before its body
      // is read.
      const visitor = new Visitor()
      await visitor.get('/posts/create')
      const slowBody = rawSocket(
        `POST /posts HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
          `Cookie: ${visitor.cookieHeader()}\r\nContent-Length: 1000\r\n\r\ntitle=slow`
      )
      // A whole request, then nothing: the connection stays open for the next one.
      const idle = rawSocket(`GET /health HTTP/1.1\r\nHost: ${host}\r\n\r\n`)

      const [headers, body, keepAlive] = await Promise.all(
        [slowHeaders, slowBody, idle].map(({ closed }) => closed)
      )

      assert.isBelow(headers.seconds, 10 + 5, 'slow headers: closed after the 10 s headers timeout')
      assert.match(headers.answer, /^HTTP\/1\.1 408 /)
      assert.include(headers.answer, 'Request timed out')
      assert.isBelow(body.seconds, 30 + 5, 'slow body: closed after the 30 s request timeout')
      assert.match(body.answer, /^HTTP\/1\.1 408 /)
      assert.isBelow(keepAlive.seconds, 5 + 5, 'idle keep-alive: closed after 5 s')
      assert.match(keepAlive.answer, /^HTTP\/1\.1 200 /)
    })
})
