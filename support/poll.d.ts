export function until<T>(
  check: () => T | Promise<T>,
  options?: { timeoutMs?: number; intervalMs?: number; message?: string }
): Promise<NonNullable<T>>
