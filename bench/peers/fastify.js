/*
|--------------------------------------------------------------------------
| Fastify peer
|--------------------------------------------------------------------------
|
| The strongest peer a Node developer would pick: Fastify 4 with its own
| session plugins, rendering the app's own Edge views (same templates, same
| translations, same bytes) for the same two routes.
|
|   PORT=4000 DRIVER=cookie|file|redis|database ROUTES_FILE=routes.json
|   [REDIS_PORT=6380] [SESSION_DIR=dir] [SESSION_DB=file] [STOCK_EDGE=1]
|   node bench/peers/fastify.js
|
| Like the Express peer, it does less than the app: no CSRF secret, no
| security headers, no flash messages.
|
*/

const { randomBytes } = require('node:crypto')
const Fastify = require('fastify')
const { locales, views } = require('./views')
const { fileStore, sqliteStore } = require('./stores')

const driver = process.env.DRIVER || 'cookie'
const ageMs = 2 * 60 * 60 * 1000
const cookie = { httpOnly: true, sameSite: 'lax', secure: true, path: '/' }

/**
 * Registers the session plugin for each store, with the settings their
 * READMEs give; both plugins put `get` and `set` on `request.session`.
 * `@fastify/secure-session` keeps the session in the cookie, encrypted
 * (libsodium's secretbox) with an expiry; `@fastify/session` keeps its id in
 * a signed cookie and saves the session on every response (`rolling`, its
 * default), which slides the expiry as the app's drivers do. Neither starts
 * a session for a visitor who stored nothing (`saveUninitialized: false`),
 * as the app does not.
 */
const sessions = {
  cookie(app) {
    app.register(require('@fastify/secure-session'), {
      key: randomBytes(32),
      cookieName: 'session',
      expiry: ageMs / 1000,
      // @fastify/cookie counts maxAge in seconds.
      cookie: { ...cookie, maxAge: ageMs / 1000 },
    })
  },
  file(app) {
    storeSession(app, (Store) => fileStore(Store, { dir: process.env.SESSION_DIR, ttlMs: ageMs }))
  },
  redis(app) {
    const RedisStore = require('connect-redis').default
    const Redis = require('ioredis')
    const client = new Redis({ host: '127.0.0.1', port: Number(process.env.REDIS_PORT) })
    storeSession(app, () => new RedisStore({ client, prefix: 'fastify:', ttl: ageMs / 1000 }))
  },
  database(app) {
    storeSession(app, (Store) => sqliteStore(Store, { file: process.env.SESSION_DB, ttlMs: ageMs }))
  },
}

function storeSession(app, makeStore) {
  const fastifySession = require('@fastify/session')
  app.register(require('@fastify/cookie'))
  app.register(fastifySession, {
    secret: randomBytes(32).toString('base64url'),
    store: makeStore(fastifySession.Store),
    cookie: { ...cookie, maxAge: ageMs },
    saveUninitialized: false,
  })
}

const pages = views(driver)
// The bench talks plain HTTP on loopback and says https in X-Forwarded-Proto,
// so the session cookies stay `Secure` as the app's are.
const app = Fastify({ trustProxy: '127.0.0.1' })
sessions[driver](app)

app.get('/', async (req, reply) => {
  const html = await pages.home(req.session.get('userLanguage'), req.url.split('?')[0])
  return reply.type('text/html; charset=utf-8').send(html)
})

// The floor: a route that does nothing (the session plugin's hooks still run).
app.get('/floor', async () => 'ok')

app.get('/language/:name', async (req, reply) => {
  if (locales.includes(req.params.name)) {
    req.session.set('userLanguage', req.params.name)
  }
  return reply.redirect('/')
})

app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).then(() => {
  console.log(`fastify peer (${driver}) listening on ${app.server.address().port}`)
})
process.on('SIGTERM', () => app.close().then(() => process.exit(0)))
