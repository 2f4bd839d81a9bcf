/**
 * Contract source: https://bit.ly/3DP1ypf
 *
 * Where plugins add properties to Japa's test context and tests. The suites
 * themselves are listed in .adonisrc.json.
 */

import '@japa/runner'

declare module '@japa/runner' {
  interface TestContext {}

  interface Test<TestData> {}
}
