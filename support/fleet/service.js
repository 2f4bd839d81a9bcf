/*
|--------------------------------------------------------------------------
| One process of the fleet
|--------------------------------------------------------------------------
|
| Each part of the fleet runs in a process group of its own, with its
| output in <fleet dir>/logs/<name>.log, so that stopping it ends every
| process it started (PostgreSQL's backends too) and nothing is left behind.
|
*/

const { spawn } = require('node:child_process')
const { closeSync, openSync } = require('node:fs')
const { join } = require('node:path')

/**
 * Resolves after `ms`.
 */
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Calls `check` until it returns something truthy, every `intervalMs`, and
 * rejects with `what` after `timeoutMs`. Errors thrown by `check` count as
 * not yet, except a `fatal()` one.
 */
async function poll(what, check, { timeoutMs = 15_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs
  let lastError
  for (;;) {
    try {
      const result = await check()
      if (result) return result
    } catch (error) {
      if (error.fatal) throw new Error(`${what}: ${error.message}`)
      lastError = error
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: no success within ${timeoutMs} ms${lastError ? ` (${lastError.message})` : ''}`
      )
    }
    await delay(intervalMs)
  }
}

/**
 * An error that ends a poll at once.
 */
function fatal(message) {
  return Object.assign(new Error(message), { fatal: true })
}

class Service {
  /**
   * @param {object} spec name, role, port, command, args, and optionally
   *   env, cwd, uid, gid, and stopSignal (the signal of a clean stop).
   */
  constructor(spec, logDir) {
    this.name = spec.name
    this.role = spec.role
    this.port = spec.port
    this.command = spec.command
    this.args = spec.args
    this.options = { env: spec.env, cwd: spec.cwd, uid: spec.uid, gid: spec.gid }
    this.stopSignal = spec.stopSignal || 'SIGTERM'
    this.logFile = join(logDir, `${spec.name}.log`)
    this.child = null
    this.exited = Promise.resolve(null)
  }

  get pid() {
    return this.child ? this.child.pid : null
  }

  get running() {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null
  }

  start() {
    const log = openSync(this.logFile, 'a')
    const options = { detached: true, stdio: ['ignore', log, log] }
    for (const [key, value] of Object.entries(this.options)) {
      if (value !== undefined) options[key] = value
    }
    const child = spawn(this.command, this.args, options)
    closeSync(log)
    this.child = child
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }))
      child.once('exit', (code, signal) => resolve({ code, signal }))
    })
    return this
  }

  /**
   * The clean stop: the service's own signal to its main process, which
   * then ends its children, and after `timeoutMs` SIGKILL to the group.
   */
  async stop(timeoutMs = 10_000) {
    if (this.running) {
      signal(this.child.pid, this.stopSignal)
    }
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), timeoutMs)
    const result = await this.exited
    clearTimeout(timer)
    return result
  }

  /**
   * SIGKILL to the whole group: a crash, or a machine that is gone.
   */
  async kill() {
    this.signalGroup('SIGKILL')
    return this.exited
  }

  /**
   * Sends a signal to every process of the group while its main process
   * runs (after that, the id may belong to someone else). SIGSTOP and
   * SIGCONT freeze and thaw a server that stops answering without closing
   * its connections.
   */
  signalGroup(name) {
    if (this.running) {
      signal(-this.child.pid, name)
    }
  }

  info() {
    return { name: this.name, role: this.role, pid: this.pid, port: this.port }
  }
}

/**
 * process.kill, for a process or group that may be gone already.
 */
function signal(pid, name) {
  try {
    process.kill(pid, name)
  } catch (error) {
    if (error.code !== 'ESRCH') throw error
  }
}

module.exports = { Service, fatal, poll }
