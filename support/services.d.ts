export function freePort(): Promise<number>
export function hasCommand(name: string): boolean
export function waitForRedis(port: number, timeoutMs?: number): Promise<void>
export type RedisServer = { port: number; readonly running: boolean; stop(): Promise<void> }
export function startRedis(port?: number): Promise<RedisServer>
