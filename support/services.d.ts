export function freePort(): Promise<number>
export function hasCommand(name: string): boolean
export function waitForRedis(port: number, timeoutMs?: number): Promise<void>
export function startRedis(port?: number): Promise<{ port: number; stop(): Promise<void> }>
