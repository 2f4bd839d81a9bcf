import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')

/**
 * The app as its own Node process, the way `npm start` runs it but without
 * the file watcher: `node -r @adonisjs/assembler/build/register server.ts`
 * compiles the TypeScript on the fly. Used where a test needs to stop and
 * start the server, and by `npm run screenshots`.
 */
export class AppProcess {
  private child?: ChildProcess
  private output: string[] = []

  constructor(
    public port: number,
    private env: NodeJS.ProcessEnv
  ) {}

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
        env: { ...this.env, HOST: '127.0.0.1', PORT: String(this.port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    )
    this.child = child
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.on('data', (chunk) => this.output.push(String(chunk)))
    }

    const deadline = Date.now() + timeoutMs
    while (!(await this.answers())) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await this.stop()
        throw new Error(`The app did not start on port ${this.port}:\n${this.log()}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  /**
   * SIGTERM, as a process manager stops the app; SIGKILL if it hangs.
   */
  public async stop() {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return
    }
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }

  public async restart() {
    await this.stop()
    await this.start()
  }

  /**
   * What the process printed, for error messages.
   */
  public log() {
    return this.output.join('').slice(-4000)
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
