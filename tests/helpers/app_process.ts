import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { freePort } from '../../bin/services'

const root = join(__dirname, '..', '..')

export type Exit = { code: number | null; signal: string | null }

/**
 * The app as a Node process of its own, started the way `node ace serve`
 * starts it (`node -r @adonisjs/assembler/build/register server.ts`), for
 * what cannot run inside the suite's own server: restarts, several
 * instances, outages, shutdown, and `npm run screenshots`.
 */
export class AppProcess {
  public child!: ChildProcess
  public exited!: Promise<Exit>
  private output: string[] = []

  constructor(
    public port: number,
    private env: NodeJS.ProcessEnv = {}
  ) {}

  /**
   * Starts an instance with the environment of this process plus `env`, on a
   * free port, and waits (at most `timeoutMs`) until it answers.
   */
  public static async start(env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000) {
    const app = new AppProcess(await freePort(), env)
    await app.start(timeoutMs)
    return app
  }

  public get pid() {
    return this.child?.pid
  }

  public get url() {
    return `http://127.0.0.1:${this.port}`
  }

  public async start(timeoutMs = 20_000) {
    this.output = []
    const child = spawn(
      process.execPath,
      ['-r', '@adonisjs/assembler/build/register', 'server.ts'],
      {
        cwd: root,
        env: { ...process.env, HOST: '127.0.0.1', ...this.env, PORT: String(this.port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    )
    this.child = child
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal }))
    )
    for (const stream of [child.stdout!, child.stderr!]) {
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
  public async stop() {
    if (this.running) {
      this.child.kill('SIGTERM')
    }
    return this.exited
  }

  /**
   * Ends a process that did not stop by itself, so no test leaves one behind.
   */
  public async kill() {
    if (this.running) {
      this.child.kill('SIGKILL')
    }
    return this.exited
  }

  public async restart() {
    await this.stop()
    await this.start()
  }

  /**
   * What the process printed, for failure messages.
   */
  public log() {
    return this.output.join('').slice(-4000)
  }

  private get running() {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null
  }

  private async answers() {
    try {
      await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1000) })
      return true
    } catch {
      return false
    }
  }
}
