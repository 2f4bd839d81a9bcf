/**
 * File source: https://bit.ly/3ukaHTz
 *
 * Japa plugins, reporters and hooks for every suite.
 */

import type { Config } from '@japa/runner'
import TestUtils from '@ioc:Adonis/Core/TestUtils'
import { assert, specReporter } from '@japa/preset-adonis'
import { createHttpServer } from '../providers/HttpServer'
import { browserClient } from '@japa/browser-client'
import { launchChromium } from '../support/chromium'
import { browserArtifacts } from './helpers/browser_artifacts'
import { fleetSuite } from './helpers/fleet'

/**
 * The browser suite drives the system Chromium (support/chromium.js).
 * On a failure, browserArtifacts saves a screenshot and the HTML of each open
 * page under tmp/test-artifacts/<driver>/.
 */
export const plugins: Required<Config>['plugins'] = [
  assert(),
  browserClient({
    runInSuites: ['browser'],
    launcher: (options) => launchChromium(options),
  }),
  browserArtifacts({ runInSuites: ['browser'], outputDirectory: 'tmp/test-artifacts' }),
]

export const reporters: Required<Config>['reporters'] = [specReporter()]

/**
 * The tests get a migrated SQLite file of their own (DB_FILE, set by
 * bin/test.js) and the real HTTP server with the driver under test.
 */
export const runnerHooks: Pick<Required<Config>, 'setup' | 'teardown'> = {
  setup: [() => TestUtils.ace().loadCommands(), () => TestUtils.db().migrate()],
  teardown: [],
}

export const configureSuite: Required<Config>['configureSuite'] = (suite) => {
  if (['functional', 'browser'].includes(suite.name)) {
    suite.setup(() => TestUtils.httpServer().start(createHttpServer))
  }
  if (suite.name === 'fleet') {
    fleetSuite(suite)
  }
}
