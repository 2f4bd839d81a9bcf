/*
|--------------------------------------------------------------------------
| The system Chromium
|--------------------------------------------------------------------------
|
| For the browser suite and `npm run screenshots`. Playwright's own browser
| download is never used: CHROMIUM_PATH, else `chromium` on PATH.
|
*/

const { spawnSync } = require('node:child_process')
const { chromium } = require('playwright')

/**
 * Flags for a small shared machine: no sandbox (containers run as root), no
 * GPU, and none of the background traffic a first run of Chromium starts.
 */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) {
    return process.env.CHROMIUM_PATH
  }
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' })
  return found.stdout.trim() || '/usr/bin/chromium'
}

function launchChromium(options = {}) {
  return chromium.launch({
    headless: true,
    ...options,
    executablePath: chromiumPath(),
    args: CHROMIUM_FLAGS,
  })
}

module.exports = { launchChromium }
