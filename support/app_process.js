/*
|--------------------------------------------------------------------------
| The app as a child process
|--------------------------------------------------------------------------
|
| For what cannot run inside a test suite's own server: restarts, several
| instances, outages, shutdown, the production build, and the pictures of
| `npm run screenshots`.
|
*/

const { spawn } = require('node:child_process')
const { join } = require('node:path')
const { freePort } = require('./services')
const { until } = require('./poll')

const root = join(__dirname, '..')

/**
 * How `node ace serve` starts the app: server.ts compiled on the fly.
 */
const FROM_SOURCES = [process.execPath, '-r', '@adonisjs/assembler/build/register', 'server.ts']

class AppProcess {
  /**
   * @param {number} port
   * @param {NodeJS.ProcessEnv} env added to this process's environment
   * @param {{ command?: string[], inheritEnv?: boolean }} options `command`
   *   starts the app another way, e.g. `['sh', '-c', 'npm run start:prod']`;
   *   `inheritEnv: false` gives the app only `env`, as on a machine where
   *   nothing else is set.
   */
  constructor(port, env = {}, options = {}) {
    this.port = port
    this.env = env
    this.command = options.command || FROM_SOURCES
    this.inheritEnv = options.inheritEnv !== false
    this.output = []
    this.child = undefined
    this.exited = undefined
  }

  /**
   * Starts an instance on a free port and waits until it answers: at most
   * `timeoutMs`, a bound for a busy machine where compiling the sources on
   * the fly can take a while.
   */
  static async start(env = {}, timeoutMs = 60_000, options = {}) {
    const app = new AppProcess(await freePort(), env, options)
    await app.start(timeoutMs)
    return app
  }

  get pid() {
    return this.child && this.child.pid
  }

  get url() {
    return `http://127.0.0.1:${this.port}`
  }

  async start(timeoutMs = 60_000) {
    this.output = []
    const [command, ...args] = this.command
    const child = spawn(command, args, {
      cwd: root,
      env: {
        ...(this.inheritEnv ? process.env : {}),
        HOST: '127.0.0.1',
        ...this.env,
        PORT: String(this.port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: this.inOwnGroup,
    })
    this.child = child
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal }))
    )
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => this.output.push(String(chunk)))
    }

    const deadline = Date.now() + timeoutMs
    while (!(await this.answers())) {
      if (!this.running || Date.now() > deadline) {
        await this.kill()
        throw new Error(`The app did not start on port ${this.port}:\n${this.log()}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  /**
   * Sends SIGTERM, as a process manager does, and waits for the exit.
   */
  async stop() {
    this.signal('SIGTERM')
    const exit = await this.exited
    if (this.inOwnGroup) {
      // The app under the shell may still be finishing its shutdown.
      await until(async () => !(await this.answers()), {
        timeoutMs: 10_000,
        message: `the app on port ${this.port} to stop`,
      })
    }
    return exit
  }

  /**
   * Ends a process that did not stop by itself, so no test leaves one behind.
   */
  async kill() {
    this.signal('SIGKILL')
    return this.exited
  }

  async restart() {
    await this.stop()
    await this.start()
  }

  /**
   * What the process printed, for failure messages.
   */
  log() {
    return this.output.join('').slice(-4000)
  }

  get running() {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null
  }

  /**
   * A command line other than the sources runs in a process group of its
   * own, signalled as a whole: the shell, npm and the app under them.
   */
  get inOwnGroup() {
    return this.command !== FROM_SOURCES
  }

  signal(name) {
    if (!this.inOwnGroup) {
      if (this.running) this.child.kill(name)
      return
    }
    try {
      process.kill(-this.child.pid, name)
    } catch (error) {
      if (error.code !== 'ESRCH') throw error
    }
  }

  async answers() {
    try {
      await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1000) })
      return true
    } catch {
      return false
    }
  }
}

module.exports = { AppProcess }
