import { test } from '@japa/runner'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import Application from '@ioc:Adonis/Core/Application'
import Database from '@ioc:Adonis/Lucid/Database'
import SessionStore from 'App/Services/SessionStore'
import { AppProcess } from '../../../support/app_process'
import { until } from '../../../support/poll'
import { Visitor, csrfToken, visibleText } from '../../helpers/visitor'

const MARKER = 'uploaded-by-the-attack'

/**
 * One multipart part, as `curl -F 'name=@file'` sends it.
 */
const filePart = (name: string, filename: string, content = MARKER) =>
  `Content-Disposition: form-data; name="${name}"; ${filename}\r\n` +
  `Content-Type: text/plain\r\n\r\n${content}`

/**
 * Bodies the app does not read. The first four crashed the process through
 * the v5 multipart parser (@adonisjs/bodyparser 8.1, @poppinss/multiparty
 * 2.0), the upload was kept in the temp folder for good.
 */
const attacks = [
  {
    name: 'a file field named toString',
    type: 'multipart',
    part: filePart('toString', 'filename="a.txt"'),
  },
  {
    name: 'a file field named __proto__',
    type: 'multipart',
    part: filePart('__proto__', 'filename="a.txt"'),
  },
  {
    name: 'a file field named constructor',
    type: 'multipart',
    part: filePart('constructor', 'filename="a.txt"'),
  },
  {
    name: 'a malformed filename*',
    type: 'multipart',
    part: filePart('upload', "filename*=UTF-8''%E0%A4%A"),
  },
  {
    name: 'a 900 KB upload',
    type: 'multipart',
    part: filePart('upload', 'filename="big.txt"', MARKER.repeat(40_000)),
  },
  { name: 'a text/plain body', type: 'text/plain', part: 'title=Plain&body=x' },
  { name: 'an XML body', type: 'application/xml', part: '<post><title>XML</title></post>' },
]

function send(app: AppProcess, visitor: Visitor, type: string, part: string, accept = 'text/html') {
  const boundary = 'attack-boundary'
  const multipart = type === 'multipart'
  return fetch(`${app.url}/posts`, {
    method: 'POST',
    headers: {
      'accept': accept,
      'cookie': visitor.cookieHeader(),
      'x-forwarded-proto': 'https',
      'content-type': multipart ? `multipart/form-data; boundary=${boundary}` : type,
    },
    body: multipart ? `--${boundary}\r\n${part}\r\n--${boundary}--\r\n` : part,
  })
}

test.group(`Security: bodies the app does not read (${SessionStore.driver} driver)`, (group) => {
  const tempFolder = Application.tmpPath(`attack-temp-${process.pid}`)
  let app: AppProcess

  group.setup(async () => {
    mkdirSync(tempFolder, { recursive: true })
    // Production logs (one JSON line each) and a temp folder of its own, so
    // the test sees what the process logs and what it leaves on disk.
    app = await AppProcess.start({
      NODE_ENV: 'production',
      TMPDIR: tempFolder,
      NODE_OPTIONS: `--require ${join(__dirname, '..', '..', 'fixtures', 'throw-on-signal.js')}`,
    })
    return async () => {
      await app.kill()
      rmSync(tempFolder, { recursive: true, force: true })
    }
  })

  test('{name} gets the 415 page in the visitor language, and the server keeps answering')
    .with(attacks)
    .run(async ({ assert }, attack) => {
      // A production app: its cookies are Secure, kept by a browser on https.
      const visitor = new Visitor(app.url, { behindHttpsProxy: true })
      await visitor.get('/language/fr')
      const [before] = await Database.from('posts').count('* as total')

      const response = await send(app, visitor, attack.type, attack.part)
      const html = await response.text()

      assert.equal(response.status, 415)
      assert.include(visibleText(html), 'Format de données non pris en charge')
      assert.notInclude(html, MARKER)
      const health = await fetch(`${app.url}/health`, { signal: AbortSignal.timeout(5000) })
      assert.equal(health.status, 200, `the app still answers:\n${app.log()}`)
      assert.deepEqual(readdirSync(tempFolder), [], 'nothing written to the temp folder')
      const [after] = await Database.from('posts').count('* as total')
      assert.equal(after.total, before.total, 'nothing saved')
    })

  test('an API client gets the 415 as JSON', async ({ assert }) => {
    const response = await send(
      app,
      new Visitor(app.url),
      'multipart',
      attacks[0].part,
      'application/json'
    )

    assert.equal(response.status, 415)
    assert.deepEqual(await response.json(), { message: 'Unsupported form data' })
  })

  test('a {$self} body that does not decompress gets the 400 page and one log line, not a 500')
    .with(['gzip', 'br', 'deflate'])
    .run(async ({ assert }, encoding) => {
      const visitor = new Visitor(app.url, { behindHttpsProxy: true })
      await visitor.get('/language/fr')
      const token = csrfToken((await visitor.get('/posts/create')).html)
      const logged = app.output.length
      const newLog = () => app.output.slice(logged).join('')
      const post = (cookie: string) =>
        fetch(`${app.url}/posts`, {
          method: 'POST',
          headers: {
            'accept': 'text/html',
            'cookie': cookie,
            'content-type': 'application/x-www-form-urlencoded',
            'content-encoding': encoding,
            'x-csrf-token': token,
          },
          body: '0123456789',
        })

      const response = await post(visitor.cookieHeader())
      const html = await response.text()
      const cookieLess = await post('')

      assert.equal(response.status, 400)
      assert.include(visibleText(html), 'Requête invalide')
      assert.notInclude(html, 'node_modules')
      assert.equal(cookieLess.status, 403, 'without cookies: refused before the body is read')
      // The app's log reaches this process a little after the answers.
      await until(
        () => newLog().includes('E_UNDECODABLE_BODY') && newLog().includes('E_BAD_CSRF_TOKEN'),
        { message: 'the log lines of both requests' }
      )
      const lines = newLog()
        .split('\n')
        .filter((line) => line.includes('/posts') && line.includes('"status"'))
      const statuses = lines.map((line) => JSON.parse(line).status).sort()
      assert.deepEqual(statuses, [400, 403], lines.join('\n'))
      assert.notInclude(lines.join('\n'), '"stack"')
    })

  test('an error thrown outside any request is logged on one line and the app keeps serving', async ({
    assert,
  }) => {
    app.child.kill('SIGUSR2')

    const deadline = Date.now() + 5000
    while (!app.log().includes('thrown outside any request') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const lines = app
      .log()
      .split('\n')
      .filter((line) => line.includes('thrown outside any request'))
    assert.lengthOf(lines, 1, app.log())
    assert.equal(JSON.parse(lines[0]).level, 50, 'logged as an error, not as fatal')
    const health = await fetch(`${app.url}/health`, { signal: AbortSignal.timeout(5000) })
    assert.equal(health.status, 200)
  })
})
