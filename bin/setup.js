/*
|--------------------------------------------------------------------------
| First-run setup
|--------------------------------------------------------------------------
|
| Creates .env from .env.example with a fresh APP_KEY, so a new clone runs
| with no manual step and no key is ever committed.
|
*/

const { randomBytes } = require('node:crypto')
const { existsSync, readFileSync, writeFileSync, mkdirSync } = require('node:fs')
const { dirname, join } = require('node:path')

const root = join(__dirname, '..')

/**
 * Creates the env file at `envPath` unless it exists. Returns whether it did.
 */
function ensureEnvFile(envPath = join(root, '.env')) {
  if (existsSync(envPath)) {
    return false
  }

  const example = readFileSync(join(root, '.env.example'), 'utf8')
  const key = randomBytes(32).toString('base64url')
  mkdirSync(dirname(envPath), { recursive: true })
  writeFileSync(envPath, example.replace(/^APP_KEY=.*$/m, `APP_KEY=${key}`), { mode: 0o600 })
  return true
}

module.exports = { root, ensureEnvFile }

if (require.main === module) {
  mkdirSync(join(root, 'tmp'), { recursive: true })
  if (ensureEnvFile()) {
    console.log('Created .env with a new APP_KEY')
  }
}
