/*
|--------------------------------------------------------------------------
| npm start
|--------------------------------------------------------------------------
|
| First run: creates .env with a fresh APP_KEY. Every run: applies pending
| migrations, then serves the app (http://localhost:3333 by default).
| SESSION_DRIVER=file|redis npm start picks another session driver.
|
*/

const { spawn, spawnSync } = require('node:child_process')
const { mkdirSync } = require('node:fs')
const { join } = require('node:path')
const { root, ensureEnvFile } = require('./setup')

mkdirSync(join(root, 'tmp'), { recursive: true })
if (ensureEnvFile()) {
  console.log('Created .env with a new APP_KEY')
}

const migrate = spawnSync(process.execPath, ['ace', 'migration:run', '--force'], {
  cwd: root,
  stdio: 'inherit',
})
if (migrate.status !== 0) {
  process.exit(migrate.status || 1)
}

const server = spawn(process.execPath, ['ace', 'serve', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal))
}
server.on('exit', (code) => process.exit(code ?? 0))
