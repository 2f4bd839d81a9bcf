/*
|--------------------------------------------------------------------------
| npm start, npm run dev, npm run start:prod
|--------------------------------------------------------------------------
|
| First run: creates .env with a fresh APP_KEY. Every run: applies pending
| migrations (node ace db:migrate), then serves the app
| (http://localhost:3333 by default).
| SESSION_DRIVER=file|redis|database npm start picks another session driver
| (cookie by default).
|
|   npm start               the TypeScript sources (node ace serve)
|   npm run dev             the same, restarting on changes
|   npm run start:prod      the production build of `npm run build`, with
|                           NODE_ENV=production and CACHE_VIEWS=true
|
| ENV_PATH names another env file (relative to this folder); it is created
| the same way when missing.
|
*/

const { spawn, spawnSync } = require('node:child_process')
const { existsSync, mkdirSync, readFileSync } = require('node:fs')
const { dirname, join, relative, resolve } = require('node:path')
const { root, ensureEnvFile, SERVER_NODE_OPTIONS } = require('./setup')

const production = process.argv.includes('--production')
const envPath = resolve(root, process.env.ENV_PATH || '.env')
const appRoot = production ? join(root, 'build') : root

if (ensureEnvFile(envPath)) {
  console.log(`Created ${relative(root, envPath)} with a new APP_KEY`)
}
if (production && !existsSync(join(appRoot, 'server.js'))) {
  console.error('No production build: run `npm run build` first.')
  process.exit(1)
}

/**
 * A path setting (DB_FILE, SESSION_FILE_LOCATION) as the environment or the
 * env file sets it, relative to this folder. The app reads them relative to
 * its own root, which is build/ for the production build, so it is handed
 * the path from there: the database and the session files stay in the
 * project folder, where a rebuild (which empties build/) leaves them.
 */
function projectPath(name, fallback) {
  const fromFile = readFileSync(envPath, 'utf8').match(new RegExp(`^${name}=(.*)$`, 'm'))
  const path = resolve(root, process.env[name] || (fromFile && fromFile[1].trim()) || fallback)
  return relative(appRoot, path)
}

const dbFile = projectPath('DB_FILE', 'tmp/db.sqlite3')
mkdirSync(dirname(resolve(appRoot, dbFile)), { recursive: true })

const env = {
  ...(production ? { CACHE_VIEWS: 'true' } : {}),
  ...process.env,
  ...(production ? { NODE_ENV: 'production' } : {}),
  ENV_PATH: envPath,
  DB_FILE: dbFile,
  SESSION_FILE_LOCATION: projectPath('SESSION_FILE_LOCATION', 'tmp/sessions'),
}

const migrate = spawnSync(process.execPath, ['ace', 'db:migrate'], {
  cwd: appRoot,
  env,
  stdio: 'inherit',
})
if (migrate.status !== 0) {
  process.exit(migrate.status || 1)
}

const server = spawn(
  process.execPath,
  production ? [...SERVER_NODE_OPTIONS, 'server.js'] : ['ace', 'serve', ...process.argv.slice(2)],
  { cwd: appRoot, env, stdio: 'inherit' }
)
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal))
}
server.on('exit', (code) => process.exit(code ?? 0))
