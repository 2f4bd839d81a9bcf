/*
|--------------------------------------------------------------------------
| HAProxy for the fleet
|--------------------------------------------------------------------------
|
| Renders deploy/haproxy.cfg for this fleet's ports, makes the self-signed
| certificate that HAProxy serves, and talks to HAProxy's runtime API.
|
*/

const { execFile } = require('node:child_process')
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs')
const net = require('node:net')
const { tmpdir } = require('node:os')
const { join } = require('node:path')
const { promisify } = require('node:util')
const { hasCommand } = require('../services')
const { Service, fatal, poll } = require('./service')

const run = promisify(execFile)
const { freePort } = require('../services')

const DEPLOY = join(__dirname, '..', '..', 'deploy')
const TEMPLATE = join(DEPLOY, 'haproxy.cfg')

/**
 * A certificate for 127.0.0.1 and localhost, valid for 30 days, in `dir`:
 * `cert.pem` for clients to trust, `haproxy.pem` (certificate and key) for
 * HAProxy.
 */
async function makeCertificate(dir) {
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '30',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout',
    key,
    '-out',
    cert,
  ])
  const pem = join(dir, 'haproxy.pem')
  writeFileSync(pem, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'), { mode: 0o600 })
  return { cert, pem }
}

/**
 * The HAProxy service for `instances` (services with a name and a port).
 * With `sticky`, a visitor stays on the instance that answered first.
 */
async function createHaproxy({ dir, logDir, port, instances, sticky }) {
  if (!hasCommand('haproxy')) {
    throw new Error('haproxy is not installed: apt-get install -y haproxy')
  }
  const { cert, pem } = await makeCertificate(dir)
  // A Unix socket's path stops at about 100 bytes: under a deep checkout,
  // `dir` is too long for it. The runtime API's socket gets a short folder
  // of its own in the system's temporary folder instead, gone with the fleet.
  const socketDir = mkdtempSync(join(tmpdir(), 'ads-'))
  const removeSocketDir = () => rmSync(socketDir, { recursive: true, force: true })
  process.on('exit', removeSocketDir)
  const socket = join(socketDir, 'haproxy.sock')
  const config = join(dir, 'haproxy.cfg')
  const stickyLines = sticky
    ? [
        "    # The file driver keeps each session on one instance's disk: a visitor",
        '    # stays on the instance that answered first, while it is up.',
        '    cookie FLEET_SERVER insert indirect nocache secure httponly attr SameSite=Lax',
      ]
    : []
  const serverLines = instances.map(
    (app) =>
      `    server ${app.name} 127.0.0.1:${app.port} check${sticky ? ` cookie ${app.name}` : ''}`
  )
  const statsPort = await freePort()
  writeFileSync(
    config,
    readFileSync(TEMPLATE, 'utf8')
      .replace('{{socket}}', socket)
      .replaceAll('{{errors}}', join(DEPLOY, 'errors'))
      .replace('{{port}}', String(port))
      .replace('{{statsPort}}', String(statsPort))
      .replace('{{pem}}', pem)
      .replace('{{sticky}}\n', stickyLines.map((line) => `${line}\n`).join(''))
      .replace('{{servers}}', serverLines.join('\n'))
  )
  await run('haproxy', ['-c', '-q', '-f', config]).catch((error) => {
    removeSocketDir()
    process.off('exit', removeSocketDir)
    throw new Error(`haproxy rejects ${config}:\n${error.stderr || error.message}`)
  })

  const service = new Service(
    {
      name: 'haproxy',
      role: 'load balancer',
      port,
      command: 'haproxy',
      args: ['-f', config, '-db'],
      cwd: dir,
      // SIGUSR1 is HAProxy's soft stop: it lets the requests in flight end.
      stopSignal: 'SIGUSR1',
    },
    logDir
  )

  const haproxy = {
    service,
    cert,
    config,

    socket,

    async start() {
      service.start()
      await haproxy.waitUntilUp(instances.map((app) => app.name))
    },

    /**
     * Removes the socket's folder, once HAProxy has stopped.
     */
    removeSocket() {
      removeSocketDir()
      process.off('exit', removeSocketDir)
    },

    /**
     * One command of the runtime API, its answer as text.
     */
    command(line) {
      return new Promise((resolve, reject) => {
        const client = net.connect(socket)
        let answer = ''
        client.setTimeout(2000, () => client.destroy(new Error(`no answer to "${line}"`)))
        client.on('connect', () => client.end(`${line}\n`))
        client.on('data', (chunk) => (answer += chunk))
        client.on('end', () => resolve(answer))
        client.on('error', reject)
      })
    },

    /**
     * The state of each instance as HAProxy sees it: UP, DOWN, MAINT, DRAIN…
     * and its current sessions.
     */
    async servers() {
      const csv = await haproxy.command('show stat')
      const lines = csv.replace(/^# /, '').trim().split('\n')
      const header = lines[0].split(',')
      return lines
        .slice(1)
        .map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i], v])))
        .filter((row) => row.pxname === 'app' && !['FRONTEND', 'BACKEND'].includes(row.svname))
        .map((row) => ({ name: row.svname, status: row.status, sessions: Number(row.scur) }))
    },

    /**
     * Waits until HAProxy's health checks have found each named instance up.
     */
    waitUntilUp(names, timeoutMs = 15_000) {
      return poll(
        `HAProxy sees ${names.join(', ')} up (log: ${service.logFile})`,
        async () => {
          if (!service.running) throw fatal('haproxy exited')
          const servers = await haproxy.servers()
          return names.every((name) => servers.some((s) => s.name === name && s.status === 'UP'))
        },
        { timeoutMs }
      )
    },

    /**
     * Sends no new visitor to the instance, and waits until its requests in
     * flight have ended: what a rolling restart does before stopping it.
     */
    async drain(name, timeoutMs = 10_000) {
      await haproxy.command(`set server app/${name} state drain`)
      await poll(
        `${name} drained`,
        async () => {
          const server = (await haproxy.servers()).find((s) => s.name === name)
          return server && server.sessions === 0
        },
        { timeoutMs, intervalMs: 50 }
      )
    },

    async ready(name) {
      await haproxy.command(`set server app/${name} state ready`)
    },

    /**
     * HAProxy's stats page (HTML; `;csv` for CSV, `/metrics` for
     * Prometheus), on loopback only.
     */
    statsUrl: `http://127.0.0.1:${statsPort}/`,
  }
  return haproxy
}

module.exports = { createHaproxy }
