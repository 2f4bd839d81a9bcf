import type { ChildProcess } from 'node:child_process'

export type Exit = { code: number | null; signal: string | null }

export type AppProcessOptions = {
  /** Starts the app another way than from the sources, e.g. `['sh', '-c', 'npm run start:prod']`. */
  command?: string[]
  /** `false`: the app gets only the given environment (and HOST, PORT). */
  inheritEnv?: boolean
}

export class AppProcess {
  public port: number
  public child: ChildProcess
  public exited: Promise<Exit>
  /** What the process printed, chunk by chunk, since it started. */
  public output: string[]
  constructor(port: number, env?: NodeJS.ProcessEnv, options?: AppProcessOptions)
  public static start(
    env?: NodeJS.ProcessEnv,
    timeoutMs?: number,
    options?: AppProcessOptions
  ): Promise<AppProcess>
  public get pid(): number | undefined
  public get url(): string
  public get running(): boolean
  public start(timeoutMs?: number): Promise<void>
  public stop(): Promise<Exit>
  public kill(): Promise<Exit>
  public restart(): Promise<void>
  public log(): string
}
