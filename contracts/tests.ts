/**
 * Contract source: https://bit.ly/3DP1ypf
 *
 * Lets Japa know which suites exist.
 */

import '@japa/runner'

declare module '@japa/runner' {
  interface TestContext {}

  interface Test<TestData> {}
}
