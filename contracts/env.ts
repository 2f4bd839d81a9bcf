/**
 * Contract source: https://git.io/JTm6U
 *
 * Types for Env.get, inferred from the rules in env.ts.
 */

declare module '@ioc:Adonis/Core/Env' {
  type CustomTypes = typeof import('../env').default
  interface EnvTypes extends CustomTypes {}
}
