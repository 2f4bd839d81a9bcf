/*
|--------------------------------------------------------------------------
| Redis for the fleet: Sentinel or Cluster
|--------------------------------------------------------------------------
|
| Sentinel: a primary, two replicas and three Sentinels (quorum 2) that
| promote a replica when the primary has not answered for a second.
| Cluster: three primaries with two replicas each.
|
| Two replicas per primary, because the app waits for one replica to hold
| each session write (Redis WAIT): with a single replica, a failover would
| leave the new primary without one, and every write would answer 503 until
| the lost server came back.
|
| Nothing is kept on disk: the copies on the replicas are the safety.
|
*/

const { execFile } = require('node:child_process')
const { mkdirSync, writeFileSync } = require('node:fs')
const { join } = require('node:path')
const { promisify } = require('node:util')
const { freePort, hasCommand } = require('../services')
const { Service, fatal, poll } = require('./service')

const run = promisify(execFile)

const PRIMARY_NAME = 'sessions'
const REPLICAS = 2
const SENTINELS = 3

/**
 * One command through redis-cli, its reply as text.
 */
async function redisCli(port, ...args) {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    timeout: 3000,
  })
  return stdout.trim()
}

/**
 * A field of `INFO <section>`.
 */
async function info(port, section, field) {
  const text = await redisCli(port, 'INFO', section)
  const line = text.split(/\r?\n/).find((l) => l.startsWith(`${field}:`))
  return line ? line.slice(field.length + 1).trim() : undefined
}

/**
 * The records of a Sentinel reply as redis-cli prints it, one field name or
 * value per line; each record starts with its `name`.
 */
function records(text) {
  const lines = text.split(/\r?\n/)
  const list = []
  for (let i = 0; i + 1 < lines.length; i += 2) {
    if (lines[i] === 'name') list.push({})
    if (list.length) list[list.length - 1][lines[i]] = lines[i + 1]
  }
  return list
}

function requireCommands(...names) {
  for (const name of names) {
    if (!hasCommand(name)) {
      throw new Error(`${name} is not installed: apt-get install -y redis-server redis-sentinel`)
    }
  }
}

/**
 * A redis-server that keeps nothing on disk and starts a replica's first
 * sync at once (by default a primary waits 5 s to serve several at once).
 */
function redisServer({ name, role, port, dir, logDir, extra = [] }) {
  const home = join(dir, name)
  mkdirSync(home, { recursive: true })
  return new Service(
    {
      name,
      role,
      port,
      command: 'redis-server',
      args: [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        home,
        '--save',
        '',
        '--appendonly',
        'no',
        '--repl-diskless-sync-delay',
        '0',
        ...extra,
      ],
      cwd: home,
    },
    logDir
  )
}

function waitForRedis(service) {
  return poll(`${service.name} on port ${service.port} (log: ${service.logFile})`, async () => {
    if (!service.running) throw fatal('the server exited')
    return (await redisCli(service.port, 'PING')) === 'PONG'
  })
}

/**
 * The Sentinel setup. `start()` returns once every Sentinel knows the
 * primary, both replicas and the two other Sentinels, so that a failover
 * can happen from then on.
 */
async function createSentinelGroup({ dir, logDir }) {
  requireCommands('redis-server', 'redis-sentinel')
  const ports = []
  for (let i = 0; i < 1 + REPLICAS + SENTINELS; i++) ports.push(await freePort())
  const primaryPort = ports[0]

  const servers = [0, 1, 2].map((i) =>
    redisServer({
      name: `redis-${i + 1}`,
      role: i === 0 ? 'redis primary' : 'redis replica',
      port: ports[i],
      dir,
      logDir,
      extra: i === 0 ? [] : ['--replicaof', '127.0.0.1', String(primaryPort)],
    })
  )

  const sentinels = [1, 2, 3].map((i) => {
    const port = ports[REPLICAS + i]
    const home = join(dir, `sentinel-${i}`)
    mkdirSync(home, { recursive: true })
    // Sentinel rewrites its configuration file as it learns the setup.
    const config = join(home, 'sentinel.conf')
    writeFileSync(
      config,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${home}`,
        `sentinel monitor ${PRIMARY_NAME} 127.0.0.1 ${primaryPort} 2`,
        `sentinel down-after-milliseconds ${PRIMARY_NAME} 1000`,
        `sentinel failover-timeout ${PRIMARY_NAME} 3000`,
        `sentinel parallel-syncs ${PRIMARY_NAME} ${REPLICAS}`,
        '',
      ].join('\n')
    )
    return new Service(
      {
        name: `sentinel-${i}`,
        role: 'redis sentinel',
        port,
        command: 'redis-sentinel',
        args: [config],
        cwd: home,
      },
      logDir
    )
  })

  const group = {
    servers,
    sentinels,
    services: [...servers, ...sentinels],
    env: {
      REDIS_SENTINELS: sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
      REDIS_SENTINEL_NAME: PRIMARY_NAME,
    },

    async start() {
      servers[0].start()
      await waitForRedis(servers[0])
      for (const server of servers.slice(1)) server.start()
      await Promise.all(servers.slice(1).map(waitForRedis))
      for (const sentinel of sentinels) sentinel.start()
      await group.waitUntilReady()
    },

    /**
     * The port of the server the Sentinels name as primary.
     */
    async primaryPort() {
      const reply = await redisCli(
        sentinels.find((s) => s.running).port,
        'SENTINEL',
        'GET-MASTER-ADDR-BY-NAME',
        PRIMARY_NAME
      )
      return Number(reply.split(/\s+/)[1])
    },

    async primary() {
      const port = await group.primaryPort()
      return servers.find((s) => s.port === port)
    },

    /**
     * Waits until the primary has both replicas in sync and every Sentinel
     * can authorize a failover: after a start, and after a failover once
     * the lost server is back.
     */
    async waitUntilReady(timeoutMs = 30_000) {
      await poll(
        'Redis replicas in sync and Sentinels in quorum',
        async () => {
          const primary = await group.primaryPort()
          if (Number(await info(primary, 'replication', 'connected_slaves')) < REPLICAS)
            return false
          for (const sentinel of sentinels) {
            const quorum = await redisCli(sentinel.port, 'SENTINEL', 'CKQUORUM', PRIMARY_NAME)
            if (!quorum.startsWith('OK 3 usable')) return false
            const replicas = records(
              await redisCli(sentinel.port, 'SENTINEL', 'REPLICAS', PRIMARY_NAME)
            )
            const healthy = replicas.filter(
              (r) => r.flags === 'slave' && r['master-link-status'] === 'ok'
            )
            if (healthy.length < REPLICAS) return false
          }
          return true
        },
        { timeoutMs, intervalMs: 200 }
      )
    },

    /**
     * Starts a server that was stopped or killed again, as a replica of
     * the current primary, the way a repaired machine rejoins.
     */
    async restart(service) {
      const primary = await group.primaryPort()
      const index = service.args.indexOf('--replicaof')
      if (index !== -1) service.args.splice(index, 3)
      service.args.push('--replicaof', '127.0.0.1', String(primary))
      service.role = 'redis replica'
      service.start()
      await waitForRedis(service)
    },

    /**
     * After a failover: the new primary and the replicas as roles.
     */
    async refreshRoles() {
      const primary = await group.primaryPort()
      for (const server of servers) {
        server.role = server.port === primary ? 'redis primary' : 'redis replica'
      }
    },
  }
  return group
}

/**
 * The Cluster: nine nodes, three primaries with two replicas each. A node
 * counts as failed after cluster-node-timeout (1 s), then one of its
 * replicas takes over; the other primaries keep answering meanwhile
 * (cluster-require-full-coverage no).
 */
async function createCluster({ dir, logDir }) {
  requireCommands('redis-server', 'redis-cli')
  const nodes = []
  for (let i = 0; i < 3 * (1 + REPLICAS); i++) {
    nodes.push(
      redisServer({
        name: `redis-${i + 1}`,
        role: 'redis cluster node',
        port: await freePort(),
        dir,
        logDir,
        extra: [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          // The bus port is otherwise port + 10000, which nothing reserved.
          '--cluster-port',
          String(await freePort()),
          '--cluster-node-timeout',
          '1000',
          '--cluster-require-full-coverage',
          'no',
        ],
      })
    )
  }

  const cluster = {
    nodes,
    services: nodes,
    env: { REDIS_CLUSTER_NODES: nodes.map((n) => `127.0.0.1:${n.port}`).join(',') },

    async start() {
      for (const node of nodes) node.start()
      await Promise.all(nodes.map(waitForRedis))
      await run(
        'redis-cli',
        [
          '--cluster',
          'create',
          ...nodes.map((n) => `127.0.0.1:${n.port}`),
          '--cluster-replicas',
          String(REPLICAS),
          '--cluster-yes',
        ],
        { timeout: 30_000 }
      )
      await cluster.waitUntilReady()
    },

    /**
     * Waits until every running node says the cluster is ok and sees three
     * primaries, each with two replicas that are connected.
     */
    async waitUntilReady(timeoutMs = 30_000) {
      await poll(
        'Redis Cluster ready',
        async () => {
          for (const node of nodes.filter((n) => n.running)) {
            if ((await info(node.port, 'cluster', 'cluster_enabled')) !== '1') return false
            const state = await redisCli(node.port, 'CLUSTER', 'INFO')
            if (!state.includes('cluster_state:ok')) return false
          }
          const table = await cluster.table()
          const primaries = table.filter((n) => n.primary && !n.failed)
          return (
            primaries.length === 3 &&
            primaries.every(
              (p) => table.filter((n) => n.replicaOf === p.id && !n.failed).length === REPLICAS
            )
          )
        },
        { timeoutMs, intervalMs: 200 }
      )
      await cluster.refreshRoles()
    },

    /**
     * CLUSTER NODES as seen by a running node.
     */
    async table() {
      const node = nodes.find((n) => n.running)
      const text = await redisCli(node.port, 'CLUSTER', 'NODES')
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [id, address, flags, replicaOf] = line.split(' ')
          return {
            id,
            port: Number(address.split('@')[0].split(':')[1]),
            primary: flags.includes('master'),
            failed: flags.includes('fail'),
            replicaOf: replicaOf === '-' ? null : replicaOf,
          }
        })
    },

    async refreshRoles() {
      const table = await cluster.table()
      for (const node of nodes) {
        const row = table.find((r) => r.port === node.port)
        if (row) node.role = row.primary ? 'redis cluster primary' : 'redis cluster replica'
      }
    },
  }
  return cluster
}

module.exports = { createSentinelGroup, createCluster, redisCli }
