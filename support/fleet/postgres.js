/*
|--------------------------------------------------------------------------
| PostgreSQL for the fleet
|--------------------------------------------------------------------------
|
| A server of its own: a data directory under the fleet's folder, TCP on
| loopback only (no Unix socket in a system folder), a password for the
| app's role. initdb and postgres refuse to run as root, so as root they
| run as the `postgres` user that Debian's package creates.
|
*/

const { execFile } = require('node:child_process')
const { randomBytes } = require('node:crypto')
const {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  writeFileSync,
} = require('node:fs')
const { tmpdir } = require('node:os')
const { join } = require('node:path')
const { promisify } = require('node:util')
const { Service, fatal, poll } = require('./service')

const run = promisify(execFile)

const USER = 'fleet'
const DATABASE = 'sessions_demo'

/**
 * The folder of Debian's PostgreSQL programs (the newest version), which
 * are not on PATH.
 */
function binDir() {
  const base = '/usr/lib/postgresql'
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((name) => existsSync(join(base, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (!versions.length) {
    throw new Error('PostgreSQL is not installed: apt-get install -y postgresql')
  }
  return join(base, versions[0], 'bin')
}

/**
 * As root: the uid and gid of the `postgres` user, for initdb and postgres.
 */
async function postgresUser() {
  if (process.getuid() !== 0) return {}
  const [uid, gid] = await Promise.all([
    run('id', ['-u', 'postgres']),
    run('id', ['-g', 'postgres']),
  ])
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) }
}

/**
 * Creates the cluster in `dir` and returns the (not yet started) server,
 * with what the app needs to reach it in `env`.
 */
async function createPostgres({ dir, port, logDir }) {
  const bin = binDir()
  const owner = await postgresUser()
  const password = randomBytes(18).toString('base64url')
  mkdirSync(dir, { recursive: true })
  let temporary = null
  if (owner.uid !== undefined && !(await reachable(dir, owner))) {
    // A checkout under a folder closed to other users (/root…): the data
    // goes to the system's temporary folder instead, removed at the end.
    dir = temporary = mkdtempSync(join(tmpdir(), 'sessions-demo-postgres-'))
  }
  const data = join(dir, 'data')
  const passwordFile = join(dir, 'password')
  writeFileSync(passwordFile, password, { mode: 0o600 })
  if (owner.uid !== undefined) {
    chownSync(dir, owner.uid, owner.gid)
    chownSync(passwordFile, owner.uid, owner.gid)
  }

  try {
    await run(
      join(bin, 'initdb'),
      [
        '--pgdata',
        data,
        '--username',
        USER,
        '--pwfile',
        passwordFile,
        '--auth',
        'scram-sha-256',
        '--encoding',
        'UTF8',
        '--locale',
        'C',
        '--no-sync',
      ],
      { ...owner, cwd: dir }
    )
  } catch (error) {
    throw new Error(
      `initdb failed (the postgres user needs to reach ${dir}):\n${error.stderr || error.message}`
    )
  }

  const service = new Service(
    {
      name: 'postgres',
      role: 'database',
      port,
      command: join(bin, 'postgres'),
      args: [
        '-D',
        data,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=60',
      ],
      cwd: dir,
      ...owner,
      // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, and
      // everything committed is on disk.
      stopSignal: 'SIGINT',
    },
    logDir
  )

  const connection = { host: '127.0.0.1', port, user: USER, password }
  return {
    service,
    temporary,
    env: {
      DB_CONNECTION: 'pg',
      PG_HOST: connection.host,
      PG_PORT: String(port),
      PG_USER: USER,
      PG_PASSWORD: password,
      PG_DB_NAME: DATABASE,
    },
    /**
     * Starts the server and waits until it takes connections.
     */
    async start() {
      service.start()
      await waitForPostgres(service, connection)
    },
    /**
     * The app's database, created once after the first start.
     */
    async createDatabase() {
      await query(connection, 'postgres', `CREATE DATABASE ${DATABASE}`)
    },
    /**
     * Runs one statement in the app's database (tests count rows with it).
     */
    query(sql, values) {
      return query(connection, DATABASE, sql, values)
    },
  }
}

/**
 * Whether the postgres user can write in `dir` (and so reach it).
 */
async function reachable(dir, owner) {
  chownSync(dir, owner.uid, owner.gid)
  try {
    await run('test', ['-w', dir, '-a', '-x', dir], owner)
    return true
  } catch {
    return false
  }
}

async function query(connection, database, sql, values) {
  const { Client } = require('pg')
  const client = new Client({ ...connection, database, connectionTimeoutMillis: 2000 })
  await client.connect()
  try {
    return await client.query(sql, values)
  } finally {
    await client.end()
  }
}

function waitForPostgres(service, connection) {
  return poll(
    `PostgreSQL on port ${connection.port} (log: ${service.logFile})`,
    async () => {
      if (!service.running) throw fatal('the server exited')
      await query(connection, 'postgres', 'SELECT 1')
      return true
    },
    { timeoutMs: 20_000 }
  )
}

module.exports = { createPostgres }
