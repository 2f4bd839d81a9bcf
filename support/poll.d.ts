type Falsy = false | 0 | '' | null | undefined

export function until<T>(
  check: () => T | Promise<T>,
  options?: { timeoutMs?: number; intervalMs?: number; message?: string }
): Promise<Exclude<T, Falsy>>
