/*
|--------------------------------------------------------------------------
| node bin/capacity.js
|--------------------------------------------------------------------------
|
| The storage figures of docs/capacity.md, measured on this machine:
|
| 1. per session driver, what one visitor costs: the bytes stored for a
|    session that holds a language, and for one right after a failed post
|    with a 5,000-character body (the flashed old input and errors), and the
|    Cookie header the browser sends next. The app runs from its sources
|    (NODE_ENV=production) with its own Redis, SQLite file, session folder.
| 2. Redis memory for 100,000 sessions (INFO memory before and after), each
|    written as the redis driver writes it: `session:<id>`, the record of
|    the language-only session above, a TTL of the session age.
| 3. PostgreSQL: the sessions table of the migration with 100,000 rows of
|    that record, its table and index size.
|
| Prints the figures as JSON and writes them to bench/results/capacity.json. Loopback only; a minute or two.
|
*/

const { spawnSync } = require('node:child_process')
const { randomBytes } = require('node:crypto')
const { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { join } = require('node:path')
const Redis = require('ioredis')
const { root } = require('./setup')
const { AppProcess } = require('../support/app_process')
const { freePort, startRedis } = require('../support/services')
const { createPostgres } = require('../support/fleet/postgres')

const SESSIONS = 100_000
const AGE_MS = 2 * 3600 * 1000

/**
 * A cookie jar of one visitor, sending what a browser would.
 */
class Jar {
  constructor(base) {
    this.base = base
    this.cookies = new Map()
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
  async request(method, path, form) {
    const response = await fetch(new URL(path, this.base), {
      method,
      redirect: 'manual',
      headers: {
        'cookie': this.header(),
        'accept': 'text/html',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        // The app's cookies are Secure in production: it is behind HTTPS.
        'x-forwarded-proto': 'https',
        'referer': new URL('/posts/create', this.base).toString(),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';')
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]
      const gone = attributes.some((a) => /^\s*max-age=0$/i.test(a)) || value === ''
      gone ? this.cookies.delete(name) : this.cookies.set(name, value)
    }
    return { status: response.status, html: await response.text() }
  }
}

/**
 * The records in a driver's store, by key, as bytes.
 */
async function storedRecords(driver, where) {
  if (driver === 'redis') {
    const keys = await where.redis.keys('session:*')
    return Object.fromEntries(
      await Promise.all(keys.map(async (key) => [key, await where.redis.strlen(key)]))
    )
  }
  if (driver === 'file') {
    return Object.fromEntries(
      readdirSync(where.folder).map((file) => {
        const stat = statSync(join(where.folder, file))
        return [file, `${stat.size} (${stat.blocks * 512} on disk)`]
      })
    )
  }
  if (driver === 'database') {
    const Database = require('better-sqlite3')
    const db = new Database(where.dbFile, { readonly: true })
    const rows = db.prepare('SELECT id, length(CAST(payload AS BLOB)) AS bytes FROM sessions').all()
    db.close()
    return Object.fromEntries(rows.map((row) => [row.id, row.bytes]))
  }
  return {}
}

/**
 * Bytes of the records that appeared since `before`.
 */
function added(before, after) {
  return Object.entries(after)
    .filter(([key]) => !(key in before))
    .map(([, bytes]) => bytes)
}

async function perDriver(driver) {
  // Inside the checkout: config/database.ts takes DB_FILE from the app's root.
  const scratch = join(root, 'tmp', `capacity-${process.pid}`)
  mkdirSync(scratch, { recursive: true })
  const redisServer = driver === 'redis' ? await startRedis() : null
  const dbFile = join('tmp', `capacity-${process.pid}`, 'db.sqlite3')
  const env = {
    NODE_ENV: 'production',
    APP_KEY: randomBytes(32).toString('base64url'),
    CACHE_VIEWS: 'true',
    SESSION_DRIVER: driver,
    SESSION_FILE_LOCATION: join(scratch, 'sessions'),
    DB_FILE: dbFile,
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: String(redisServer ? redisServer.port : await freePort()),
    REDIS_PASSWORD: '',
  }
  const migrated = spawnSync(
    process.execPath,
    ['-r', '@adonisjs/assembler/build/register', 'ace', 'migration:run', '--force'],
    { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' }
  )
  if (migrated.status !== 0) throw new Error(`migration failed: ${migrated.stderr}`)
  const app = await AppProcess.start(env)
  const where = {
    redis: redisServer ? new Redis({ port: redisServer.port, lazyConnect: false }) : null,
    folder: env.SESSION_FILE_LOCATION,
    dbFile: join(root, dbFile),
  }
  try {
    const language = new Jar(app.url)
    let before = await storedRecords(driver, where)
    await language.request('GET', '/language/fr')
    const afterLanguage = await storedRecords(driver, where)
    const languageRecord = added(before, afterLanguage)
    const languageCookie = Buffer.byteLength(language.header())
    let redisValue = null
    if (driver === 'redis') {
      const key = Object.keys(afterLanguage)[0]
      redisValue = { key, value: await where.redis.get(key) }
    }

    const poster = new Jar(app.url)
    before = await storedRecords(driver, where)
    await poster.request('GET', '/language/fr')
    const posterKey = Object.keys(await storedRecords(driver, where)).find((k) => !(k in before))
    const form = await poster.request('GET', '/posts/create')
    const csrf = form.html.match(/name="_csrf" value="([^"]+)"/)?.[1]
    const posted = await poster.request('POST', '/posts', {
      _csrf: csrf,
      title: 'ab',
      body: 'x'.repeat(5000),
    })
    const postRecord = posterKey ? (await storedRecords(driver, where))[posterKey] : 0
    return {
      driver,
      languageRecordBytes: languageRecord[0] ?? 0,
      languageCookieHeaderBytes: languageCookie,
      failedPostStatus: posted.status,
      failedPostRecordBytes: postRecord,
      failedPostCookieHeaderBytes: Buffer.byteLength(poster.header()),
      redisValue,
    }
  } finally {
    await app.kill()
    if (where.redis) where.redis.disconnect()
    if (redisServer) await redisServer.stop()
    rmSync(scratch, { recursive: true, force: true })
  }
}

function usedMemory(info) {
  return Number(info.match(/^used_memory:(\d+)/m)[1])
}

/**
 * 100,000 sessions of the language-only record, written with the app's key
 * format and TTL.
 */
async function redisMemory(sample) {
  const server = await startRedis()
  const redis = new Redis({ port: server.port })
  try {
    const before = usedMemory(await redis.info('memory'))
    const sampleId = sample.key.slice('session:'.length)
    for (let start = 0; start < SESSIONS; start += 1000) {
      const batch = redis.pipeline()
      for (let i = start; i < start + 1000; i++) {
        const id = randomBytes(18).toString('base64url')
        batch.set(`session:${id}`, sample.value.replace(sampleId, id), 'PX', AGE_MS)
      }
      await batch.exec()
    }
    const after = usedMemory(await redis.info('memory'))
    return {
      sessions: await redis.dbsize(),
      usedMemoryBefore: before,
      usedMemoryAfter: after,
      bytesPerSession: Math.round((after - before) / SESSIONS),
      valueBytes: Buffer.byteLength(sample.value),
    }
  } finally {
    redis.disconnect()
    await server.stop()
  }
}

async function postgresSize(sample) {
  const dir = mkdtempSync(join(tmpdir(), 'capacity-pg-'))
  const pg = await createPostgres({ dir: join(dir, 'pg'), port: await freePort(), logDir: dir })
  try {
    await pg.start()
    await pg.createDatabase()
    // The migration's table (database/migrations/*_sessions.ts).
    await pg.query(
      'CREATE TABLE sessions (id varchar(128) PRIMARY KEY, payload text NOT NULL, ' +
        'expires_at bigint NOT NULL)'
    )
    await pg.query('CREATE INDEX sessions_expires_at_index ON sessions (expires_at)')
    const sampleId = sample.key.slice('session:'.length)
    const [head, tail] = sample.value.split(sampleId)
    // Ids as long as the driver's (18 random bytes in base64url: 24 characters).
    await pg.query(
      `INSERT INTO sessions (id, payload, expires_at)
       SELECT id, $1 || id || $2, $3::bigint + n
       FROM (SELECT n, substr(md5(random()::text || n), 1, 24) AS id
             FROM generate_series(1, ${SESSIONS}) AS n) AS s`,
      [head, tail, Date.now() + AGE_MS]
    )
    await pg.query('VACUUM ANALYZE sessions')
    const { rows } = await pg.query(
      `SELECT count(*)::int AS rows, pg_table_size('sessions') AS table_bytes,
              pg_indexes_size('sessions') AS index_bytes,
              pg_total_relation_size('sessions') AS total_bytes FROM sessions`
    )
    const row = rows[0]
    return {
      rows: row.rows,
      tableBytes: Number(row.table_bytes),
      indexBytes: Number(row.index_bytes),
      totalBytes: Number(row.total_bytes),
      bytesPerRow: Math.round(Number(row.total_bytes) / row.rows),
    }
  } finally {
    await pg.service.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main() {
  const drivers = []
  for (const driver of ['cookie', 'file', 'redis', 'database']) {
    console.error(`measuring the ${driver} driver`)
    drivers.push(await perDriver(driver))
  }
  const sample = drivers.find((d) => d.driver === 'redis').redisValue
  console.error('writing 100,000 sessions to Redis')
  const redis = await redisMemory(sample)
  console.error('writing 100,000 rows to PostgreSQL')
  const postgres = await postgresSize(sample)
  const figures = {
    date: new Date().toISOString(),
    drivers: drivers.map(({ redisValue, ...rest }) => rest),
    sampleRecord: sample.value.replace(sample.key.slice(8), '<id>'),
    redis,
    postgres,
  }
  writeFileSync(
    join(root, 'bench', 'results', 'capacity.json'),
    JSON.stringify(figures, null, 2) + '\n'
  )
  console.log(JSON.stringify(figures, null, 2))
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
