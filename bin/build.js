/*
|--------------------------------------------------------------------------
| npm run build
|--------------------------------------------------------------------------
|
| `node ace build --production` (further arguments go to it), with the
| app's own next step at the end. Ace closes with "cd build, npm ci
| --production, node server.js": that server has no env file, so no
| APP_KEY, and stops at once. `npm run start:prod` (bin/start.js) creates the
| env file, applies the migrations and starts the build.
|
*/

const { spawn } = require('node:child_process')
const { createInterface } = require('node:readline')
const { root } = require('./setup')

const build = spawn(process.execPath, ['ace', 'build', '--production', ...process.argv.slice(2)], {
  cwd: root,
  stdio: ['inherit', 'pipe', 'inherit'],
})

// Everything after ace's success line is its box of instructions.
let built = false
createInterface({ input: build.stdout }).on('line', (line) => {
  if (!built) console.log(line)
  built ||= line.includes('built successfully')
})

build.on('close', (code, signal) => {
  if (code === 0 && built) {
    console.log(`
Start the build with:

  npm run start:prod

It creates .env with a new APP_KEY if there is none, applies the migrations
and serves build/ with NODE_ENV=production (bin/start.js).`)
  }
  process.exit(signal ? 1 : (code ?? 1))
})
