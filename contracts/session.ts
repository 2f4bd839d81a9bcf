declare module '@ioc:Adonis/Addons/Session' {
  /**
   * The app's own session settings (config/session.ts), beside the stock ones.
   */
  interface SessionConfig {
    /**
     * Replicas each Redis session write waits for (Redis WAIT), at most
     * timeoutMs, and how many of them must hold it; 0 writes without waiting.
     */
    redisWait?: { replicas: number; minReplicas: number; timeoutMs: number }
  }

  /**
   * What the app reads of `ctx.session` beyond the stock API (its session is
   * providers/SessionDriver/Session.ts).
   */
  interface SessionContract {
    /**
     * This request gave the session a new id (`regenerate()` or `clear()`):
     * secrets tied to the session, like the CSRF secret, change with it.
     */
    readonly regenerated: boolean
  }
}

/**
 * The session driver config/session.ts names, built by
 * providers/SessionProvider.ts: the store's health, pruning and records go
 * through it (app/Services/SessionStore.ts).
 */
declare module '@ioc:Session/Driver' {
  const driver: import('../providers/SessionDriver').SessionDriver
  export default driver
}
