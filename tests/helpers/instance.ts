import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import Application from '@ioc:Adonis/Core/Application'
import { freePort } from '../../bin/services'

/**
 * Another instance of the app in a process of its own, started the way
 * `node ace serve` starts it: for tests about several instances, outages
 * and shutdown, which cannot run inside the suite's own server.
 */
export class Instance {
  private logLines: string[] = []
  public readonly exited: Promise<{ code: number | null; signal: string | null }>

  private constructor(
    public port: number,
    public child: ChildProcess
  ) {
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.on('data', (chunk) => this.logLines.push(String(chunk)))
    }
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal }))
    )
  }

  /**
   * Starts an instance with the suite's environment plus `env`, and waits
   * (at most `timeoutMs`) until it answers.
   */
  public static async start(env: Record<string, string> = {}, timeoutMs = 20_000) {
    const port = await freePort()
    const child = spawn(
      process.execPath,
      ['-r', '@adonisjs/assembler/build/register', 'server.ts'],
      {
        cwd: Application.appRoot,
        env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    )
    const instance = new Instance(port, child)
    const deadline = Date.now() + timeoutMs
    while (!(await instance.answers())) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await instance.kill()
        throw new Error(`The instance did not start on port ${port}:\n${instance.log()}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return instance
  }

  public get url() {
    return `http://127.0.0.1:${this.port}`
  }

  /**
   * Sends SIGTERM, as a process manager does, and waits for the exit.
   */
  public async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM')
    }
    return this.exited
  }

  /**
   * Ends a process that did not stop by itself, so no test leaves one behind.
   */
  public async kill() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL')
    }
    await this.exited
  }

  /**
   * What the process printed, for failure messages.
   */
  public log() {
    return this.logLines.join('').slice(-4000)
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
