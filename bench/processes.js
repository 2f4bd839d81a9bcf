/*
|--------------------------------------------------------------------------
| Processes
|--------------------------------------------------------------------------
|
| The production build, and the servers the bench runs: each a child
| process, pinned to the server CPU when pinning is on, whose last output
| explains a failure, with bench/alloc.js preloaded to count the bytes it
| allocates.
|
*/

const os = require('node:os')
const { spawn, spawnSync } = require('node:child_process')
const { randomBytes } = require('node:crypto')
const { join } = require('node:path')
const { hasCommand } = require('../support/services')

const ALLOC = join(__dirname, 'alloc.js')

/**
 * Servers (and their Redis) on CPU 0, autocannon on CPU 1, so the load
 * generator never steals the server's core.
 */
function pinning() {
  if (!hasCommand('taskset') || os.cpus().length < 2) return null
  return { server: 0, load: 1 }
}

function pinSelf(cpu) {
  spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' })
}

/**
 * `node ace build --production` in `dir` (the app, or the stock AdonisJS
 * peer), which fails on a type error as the project's own build does.
 */
function build(dir, name = 'the production app') {
  console.log(`Building ${name} (node ace build --production) ...`)
  const result = spawnSync(process.execPath, ['ace', 'build', '--production'], {
    cwd: dir,
    encoding: 'utf8',
  })
  if (result.status !== 0) {
    throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`)
  }
}

/**
 * Runs an ace command of the build and returns what it printed.
 */
function ace(buildDir, env, args) {
  const result = spawnSync(process.execPath, ['ace', ...args], {
    cwd: buildDir,
    env,
    encoding: 'utf8',
  })
  if (result.status !== 0) {
    throw new Error(`ace ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`)
  }
  return result.stdout
}

/**
 * A server: `node -r bench/alloc.js <args>`, with an IPC channel (which
 * taskset, exec-ing node, passes on) for bench/alloc.js.
 */
function startProcess(name, args, { cwd, env, pin }) {
  const nodeArgs = ['-r', ALLOC, ...args]
  const command = pin ? 'taskset' : process.execPath
  const fullArgs = pin ? ['-c', String(pin.server), process.execPath, ...nodeArgs] : nodeArgs
  const child = spawn(command, fullArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
  let log = ''
  const keep = (chunk) => {
    log = (log + chunk).slice(-4000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return {
    name,
    // taskset execs node, so this is the server's own pid.
    pid: child.pid,
    get log() {
      return log
    },
    /**
     * Starts counting the bytes the server allocates (bench/alloc.js).
     */
    allocStart() {
      if (child.connected) child.send('alloc:start')
    },
    /**
     * `{ allocatedBytes, gcs, majorGcs }` since allocStart(), or null if the
     * server did not answer within 5 s.
     */
    allocStop() {
      if (!child.connected) return Promise.resolve(null)
      return new Promise((resolve) => {
        const done = (message) => {
          if (message && typeof message.allocatedBytes === 'number') finish(message)
        }
        const finish = (value) => {
          clearTimeout(timer)
          child.off('message', done)
          resolve(value)
        }
        const timer = setTimeout(() => finish(null), 5000)
        child.on('message', done)
        child.send('alloc:stop')
      })
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000)
      await exited
      clearTimeout(timer)
    },
    async waitForHttp(url, timeoutMs = 30000) {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline && child.exitCode === null) {
        try {
          await fetch(url, { redirect: 'manual' })
          return
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      }
      throw new Error(`${name} did not start:\n${log}`)
    },
  }
}

/**
 * Adds the server's last output to an error, which is where its cause is.
 */
async function withLog(server, promise) {
  try {
    return await promise
  } catch (error) {
    error.message += `\n--- ${server.name} output ---\n${server.log}`
    throw error
  }
}

/**
 * The environment of the production app under the bench: a fresh APP_KEY,
 * the view cache on, its own SQLite file (`dbFile`, relative to the build),
 * Redis on loopback. Each server gets its PORT and SESSION_DRIVER on top.
 */
function appEnv(dbFile) {
  return {
    ...process.env,
    NODE_ENV: 'production',
    CACHE_VIEWS: 'true',
    APP_KEY: randomBytes(32).toString('base64url'),
    APP_NAME: 'SessionsDemoBench',
    HOST: '127.0.0.1',
    PORT: '0',
    DB_FILE: dbFile,
    REDIS_HOST: '127.0.0.1',
    REDIS_PASSWORD: '',
    // The load comes from one address and stands for many visitors: the
    // switch case starts 50 sessions before it runs (bench/scenarios.js).
    SESSION_RATE_LIMIT: '1000',
  }
}

module.exports = { pinning, pinSelf, build, ace, appEnv, startProcess, withLog }
