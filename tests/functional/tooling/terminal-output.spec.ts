import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { test } from '@japa/runner'

const root = join(__dirname, '..', '..', '..')
const driver = process.env.SESSION_DRIVER || 'cookie'

/**
 * Runs a command from the project root with its output in a pipe, as in CI or
 * a log file, and returns everything it printed.
 */
function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`No exit within ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(output)
    })
  })
}

test.group('What the scripts print without a terminal', () => {
  test('npm test resets no terminal (no ESC c) between runs')
    .skip(driver !== 'cookie', 'Runs once, in the cookie run')
    .run(async ({ assert }) => {
      const output = await run(['bin/test.js', '--suite', 'functional', '--files=no/such/spec'], {
        SESSION_DRIVER: 'cookie',
      })

      assert.include(output, '=== functional suite · session driver: cookie ===')
      assert.notInclude(output, '\u001bc')
    })

  test('a boot error is printed on one line, not one word per line')
    .skip(driver !== 'cookie', 'Runs once, in the cookie run')
    .run(async ({ assert }) => {
      const output = await run(['-r', '@adonisjs/assembler/build/register', 'server.ts'], {
        NODE_ENV: 'development',
        SESSION_DRIVER: 'bogus',
      })

      assert.include(
        output,
        'Value for environment variable "SESSION_DRIVER" must be one of "cookie,file,redis,database", instead received "bogus"'
      )
    })
})
