/*
|--------------------------------------------------------------------------
| The app's instances in the fleet
|--------------------------------------------------------------------------
|
| Each instance is `node server.js` of the production build (build/), with
| the fleet's settings in an env file of its own (ENV_PATH), so no .env of
| a developer's is read, and its port and name in its environment.
|
*/

const { execFile } = require('node:child_process')
const { mkdirSync, writeFileSync } = require('node:fs')
const { join } = require('node:path')
const { promisify } = require('node:util')
const root = join(__dirname, '..', '..')
const { Service, fatal, poll } = require('./service')
const { SERVER_NODE_OPTIONS } = require('../../bin/setup')

const run = promisify(execFile)
const buildDir = join(root, 'build')

/**
 * `node ace build --production`: the code every instance runs.
 */
async function build() {
  try {
    await run(process.execPath, ['ace', 'build', '--production', '--ignore-ts-errors'], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    })
  } catch (error) {
    throw new Error(`npm run build failed:\n${error.stdout}${error.stderr}`)
  }
}

/**
 * Writes the settings every instance shares to `file`, for ENV_PATH.
 */
function writeEnvFile(file, env) {
  const lines = Object.entries(env).map(([key, value]) => `${key}=${value}`)
  writeFileSync(
    file,
    `# Written by npm run fleet: what every instance shares.\n${lines.join('\n')}\n`,
    {
      mode: 0o600,
    }
  )
}

/**
 * The environment of a process of the build: nothing from the caller's
 * environment but PATH, the settings in `envFile`, and `extra`.
 */
function processEnv(envFile, extra = {}) {
  return { PATH: process.env.PATH, ENV_PATH: envFile, ...extra }
}

async function migrate(envFile) {
  try {
    await run(process.execPath, ['ace', 'migration:run', '--force'], {
      cwd: buildDir,
      env: processEnv(envFile, { PORT: '0' }),
    })
  } catch (error) {
    throw new Error(`migrations failed:\n${error.stdout}${error.stderr}`)
  }
}

/**
 * Instance `name` on `port`. With `sessionDir`, its file sessions live
 * there, apart from the other instances', as on separate machines.
 */
function createInstance({ name, port, envFile, logDir, sessionDir }) {
  const env = processEnv(envFile, { PORT: String(port), INSTANCE_NAME: name })
  if (sessionDir) {
    mkdirSync(sessionDir, { recursive: true })
    env.SESSION_FILE_LOCATION = sessionDir
  }
  const service = new Service(
    {
      name,
      role: 'app',
      port,
      command: process.execPath,
      args: [...SERVER_NODE_OPTIONS, 'server.js'],
      cwd: buildDir,
      env,
    },
    logDir
  )

  service.waitUntilUp = (timeoutMs = 30_000) =>
    poll(
      `${name} on port ${port} (log: ${service.logFile})`,
      async () => {
        if (!service.running) throw fatal('the instance exited')
        const response = await fetch(`http://127.0.0.1:${port}/health`, {
          signal: AbortSignal.timeout(1000),
        })
        return response.status === 200
      },
      { timeoutMs }
    )
  return service
}

module.exports = { build, buildDir, createInstance, migrate, writeEnvFile }
