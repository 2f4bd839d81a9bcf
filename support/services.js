/*
|--------------------------------------------------------------------------
| Local services for the scripts in bin/, the tests and the benchmark
|--------------------------------------------------------------------------
|
| A free port on loopback, and a throwaway redis-server on it. Nothing here
| assumes a Redis on 6379.
|
*/

const net = require('node:net')
const { spawn, spawnSync } = require('node:child_process')

/**
 * Ports handed out by this process. The kernel may give a closed port
 * again before the server it was meant for has bound it (a fleet picks
 * twenty before starting anything), so each port is handed out once.
 */
const handedOut = new Set()

function unusedPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function freePort() {
  for (;;) {
    const port = await unusedPort()
    if (!handedOut.has(port)) {
      handedOut.add(port)
      return port
    }
  }
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0
}

/**
 * Answers once Redis replies PONG on the port, or rejects after `timeoutMs`.
 */
function waitForRedis(port, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1')
      socket.setTimeout(500)
      socket.once('connect', () => socket.write('PING\r\n'))
      socket.once('data', (data) => {
        socket.destroy()
        data.toString().startsWith('+PONG') ? resolve() : retry()
      })
      socket.once('error', retry)
      socket.once('timeout', retry)
      function retry() {
        socket.destroy()
        if (Date.now() > deadline) {
          reject(new Error(`redis-server did not answer on port ${port}`))
        } else {
          setTimeout(attempt, 50)
        }
      }
    }
    attempt()
  })
}

/**
 * Starts a redis-server that keeps nothing on disk. `stop()` ends it and
 * waits for the process to exit.
 */
async function startRedis(port) {
  if (!hasCommand('redis-server')) {
    throw new Error('redis-server is not installed: apt-get install -y redis-server')
  }

  port = port || (await freePort())
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' }
  )
  const exited = new Promise((resolve) => child.once('exit', resolve))
  await waitForRedis(port)

  return {
    port,
    get running() {
      return child.exitCode === null && child.signalCode === null
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await exited
      }
    },
  }
}

module.exports = { freePort, hasCommand, startRedis, waitForRedis }
