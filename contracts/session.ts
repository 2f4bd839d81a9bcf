/**
 * The app's own session settings (config/session.ts), beside the stock ones.
 */
declare module '@ioc:Adonis/Addons/Session' {
  interface SessionConfig {
    /**
     * Replicas each Redis session write waits for (Redis WAIT), at most
     * timeoutMs, and how many of them must hold it; 0 writes without waiting.
     */
    redisWait?: { replicas: number; minReplicas: number; timeoutMs: number }
  }
}
