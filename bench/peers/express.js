/*
|--------------------------------------------------------------------------
| Express peer
|--------------------------------------------------------------------------
|
| What a developer would otherwise write: Express 4 with the usual session
| middleware for each store, rendering the app's own Edge views (same
| templates, same translations, same bytes) for the same two routes.
|
|   PORT=4000 DRIVER=cookie|file|redis|database ROUTES_FILE=routes.json
|   [REDIS_PORT=6380] [SESSION_DIR=dir] [SESSION_DB=file] [STOCK_EDGE=1]
|   node bench/peers/express.js
|
| It does less than the app on purpose, so the comparison flatters the
| peer: no CSRF secret, no security headers, no flash messages.
|
*/

const { randomBytes } = require('node:crypto')
const express = require('express')
const { locales, views } = require('./views')
const { sqliteStore } = require('./stores')

const driver = process.env.DRIVER || 'cookie'
const secret = randomBytes(32).toString('base64url')
const ageMs = 2 * 60 * 60 * 1000
const cookie = { maxAge: ageMs, httpOnly: true, sameSite: 'lax', secure: true, path: '/' }

/**
 * The session middleware for each store, configured the way their READMEs
 * recommend; none starts a session for a visitor who stored nothing
 * (`saveUninitialized: false`), as the app does not.
 */
const sessions = {
  cookie() {
    const cookieSession = require('cookie-session')
    return cookieSession({ name: 'session', keys: [secret], ...cookie })
  },
  file() {
    const session = require('express-session')
    const FileStore = require('session-file-store')(session)
    const store = new FileStore({ path: process.env.SESSION_DIR, ttl: ageMs / 1000, logFn() {} })
    return session({ store, secret, resave: false, saveUninitialized: false, cookie })
  },
  redis() {
    const session = require('express-session')
    const RedisStore = require('connect-redis').default
    const Redis = require('ioredis')
    const client = new Redis({ host: '127.0.0.1', port: Number(process.env.REDIS_PORT) })
    const store = new RedisStore({ client, prefix: 'express:', ttl: ageMs / 1000 })
    return session({ store, secret, resave: false, saveUninitialized: false, cookie })
  },
  database() {
    const session = require('express-session')
    const store = sqliteStore(session.Store, { file: process.env.SESSION_DB, ttlMs: ageMs })
    return session({ store, secret, resave: false, saveUninitialized: false, cookie })
  },
}

const pages = views(driver)
const app = express()
app.disable('x-powered-by')
app.set('etag', false)
// The bench talks plain HTTP on loopback and says https in X-Forwarded-Proto,
// so the session cookies stay `Secure` as the app's are.
app.set('trust proxy', 'loopback')
app.use(sessions[driver]())

app.get('/', async (req, res, next) => {
  try {
    res.type('html').send(await pages.home(req.session.userLanguage, req.path))
  } catch (error) {
    next(error)
  }
})

app.get('/language/:name', (req, res) => {
  if (locales.includes(req.params.name)) {
    req.session.userLanguage = req.params.name
  }
  res.redirect('/')
})

const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`express peer (${driver}) listening on ${server.address().port}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
