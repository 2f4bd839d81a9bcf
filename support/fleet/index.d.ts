export type Exit = { code: number | null; signal: string | null; error?: Error } | null

export interface Service {
  name: string
  role: string
  port: number
  pid: number | null
  running: boolean
  logFile: string
  exited: Promise<Exit>
  start(): Service
  stop(timeoutMs?: number): Promise<Exit>
  kill(): Promise<Exit>
  signalGroup(signal: NodeJS.Signals): void
  info(): { name: string; role: string; pid: number | null; port: number }
}

export interface AppInstance extends Service {
  waitUntilUp(timeoutMs?: number): Promise<void>
}

export interface Postgres {
  service: Service
  env: Record<string, string>
  start(): Promise<void>
  query(sql: string, values?: unknown[]): Promise<{ rows: any[] }>
}

export interface SentinelGroup {
  servers: Service[]
  sentinels: Service[]
  services: Service[]
  primary(): Promise<Service>
  waitUntilReady(timeoutMs?: number): Promise<void>
  restart(service: Service): Promise<void>
  refreshRoles(): Promise<void>
}

export interface ClusterNode {
  id: string
  port: number
  primary: boolean
  failed: boolean
  replicaOf: string | null
}

export interface Cluster {
  nodes: Service[]
  services: Service[]
  table(): Promise<ClusterNode[]>
  waitUntilReady(timeoutMs?: number): Promise<void>
  refreshRoles(): Promise<void>
}

export interface Haproxy {
  service: Service
  cert: string
  config: string
  /** The runtime API's Unix socket, in a short folder under the system's temporary folder. */
  socket: string
  removeSocket(): void
  command(line: string): Promise<string>
  servers(): Promise<{ name: string; status: string; sessions: number }[]>
  waitUntilUp(names: string[], timeoutMs?: number): Promise<void>
  drain(name: string, timeoutMs?: number): Promise<void>
  ready(name: string): Promise<void>
  /** HAProxy's stats page on loopback (`;csv` for CSV, `/metrics` for Prometheus). */
  statsUrl: string
}

export type Driver = 'cookie' | 'file' | 'redis' | 'database'

export interface FleetOptions {
  dir: string
  port?: number
  instances?: number
  driver?: Driver
  redis?: 'sentinel' | 'cluster'
  build?: boolean
  postgres?: Postgres
  log?: (line: string) => void
  /** More settings for every instance, e.g. a higher POST_RATE_LIMIT for tests. */
  env?: Record<string, string>
}

export interface Fleet {
  dir: string
  driver: Driver
  redisMode: 'sentinel' | 'cluster' | null
  url: string
  cert: string
  postgres: Postgres
  redis: SentinelGroup | Cluster | null
  instances: AppInstance[]
  haproxy: Haproxy
  services(): Service[]
  json(): {
    url: string
    pid: number
    driver: Driver
    redis: string | null
    cert: string
    processes: ReturnType<Service['info']>[]
  }
  writeJson(): void
  instance(name: string): AppInstance
  restartInstance(name: string): Promise<void>
  rollingRestart(): Promise<void>
  stop(): Promise<void>
}

export function startFleet(options: FleetOptions): Promise<Fleet>
/** One command through redis-cli, its reply as text. */
export function redisCli(port: number, ...args: string[]): Promise<string>
/** Calls `check` until it returns something truthy; rejects with `what` after `timeoutMs`. */
export function poll<T>(
  what: string,
  check: () => Promise<T | false | undefined | null> | T,
  options?: { timeoutMs?: number; intervalMs?: number }
): Promise<T>
