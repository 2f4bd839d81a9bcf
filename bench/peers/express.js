/*
|--------------------------------------------------------------------------
| Express peer
|--------------------------------------------------------------------------
|
| What a developer would otherwise write: Express 4 with the usual session
| middleware for each store, rendering the app's own Edge views (same
| templates, same translations, same bytes) for the same two routes.
|
|   PORT=4000 DRIVER=cookie|file|redis ROUTES_FILE=routes.json
|   [REDIS_PORT=6380] [SESSION_DIR=dir] [EDGE_CACHE=1] node bench/peers/express.js
|
| It does less than the app on purpose, so the comparison flatters the
| peer: no CSRF secret, no security headers, no flash messages.
|
*/

const { randomBytes } = require('node:crypto')
const { readFileSync } = require('node:fs')
const { join } = require('node:path')
const express = require('express')
const { Edge, GLOBALS } = require('edge.js')
const { IntlMessageFormat } = require('intl-messageformat')

const root = join(__dirname, '..', '..')
const driver = process.env.DRIVER || 'cookie'
const secret = randomBytes(32).toString('base64url')
const ageMs = 2 * 60 * 60 * 1000
const locales = ['en', 'fr', 'it']
const cookie = { maxAge: ageMs, httpOnly: true, sameSite: 'lax', secure: true, path: '/' }

/**
 * The session middleware for each store, configured the way their READMEs
 * recommend.
 */
const sessions = {
  cookie() {
    const cookieSession = require('cookie-session')
    return cookieSession({ name: 'session', keys: [secret], ...cookie })
  },
  file() {
    const session = require('express-session')
    const FileStore = require('session-file-store')(session)
    const store = new FileStore({
      path: process.env.SESSION_DIR || join(root, 'tmp', 'bench-peer-sessions'),
      ttl: ageMs / 1000,
      logFn: () => {},
    })
    return session({ store, secret, resave: false, saveUninitialized: true, cookie })
  },
  redis() {
    const session = require('express-session')
    const RedisStore = require('connect-redis').default
    const Redis = require('ioredis')
    const client = new Redis({ host: '127.0.0.1', port: Number(process.env.REDIS_PORT) })
    const store = new RedisStore({ client, prefix: 'peer:', ttl: ageMs / 1000 })
    return session({ store, secret, resave: false, saveUninitialized: true, cookie })
  },
}

/**
 * ICU messages from resources/lang, flattened as `messages.home.heading`,
 * each compiled once.
 */
function loadMessages(locale) {
  const flat = {}
  const walk = (prefix, node) => {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'object') walk(`${prefix}.${key}`, value)
      else flat[`${prefix}.${key}`] = value
    }
  }
  walk('messages', JSON.parse(readFileSync(join(root, 'resources/lang', locale, 'messages.json'))))
  return flat
}
const messages = Object.fromEntries(locales.map((locale) => [locale, loadMessages(locale)]))
const compiled = new Map()

function translator(locale) {
  return (key, data) => {
    const id = `${locale}:${key}`
    let format = compiled.get(id)
    if (!format) {
      const message = messages[locale][key] ?? messages.en[key]
      if (message === undefined) return `translation missing: ${locale}, ${key}`
      format = new IntlMessageFormat(message, locale, undefined, { ignoreTag: true })
      compiled.set(id, format)
    }
    return format.format(data || {})
  }
}

/**
 * The app's named routes (`node ace list:routes --json`, written by the
 * bench), so that `route('posts.index')` gives the same URLs as in the app.
 */
const routes = new Map()
const listed = JSON.parse(readFileSync(process.env.ROUTES_FILE, 'utf8'))
for (const route of Object.values(listed).flat()) {
  if (route.name) routes.set(route.name, route.pattern)
}

function route(name, params = {}) {
  const pattern = routes.get(name)
  if (!pattern) throw new Error(`Unknown route "${name}"`)
  return pattern.replace(/:(\w+)\??/g, (_, param) => encodeURIComponent(params[param] ?? ''))
}

const edge = new Edge({ cache: true })
// A control for the bench's --peer-edge-cache: the same Edge caching as the
// app's (providers/Patches/EdgeTemplateCache.ts, from the production build).
if (process.env.EDGE_CACHE) {
  require(join(root, 'build/providers/Patches/EdgeTemplateCache')).cacheCompiledTemplates()
}
edge.mount(join(root, 'resources/views'))
for (const [name, value] of Object.entries(GLOBALS)) edge.global(name, value)
edge.global('route', route)
edge.global('getSupportedLocales', () => locales)
edge.global('sessionDriver', driver)

/**
 * The part of the request that the app's views read.
 */
function viewRequest(routeName, req) {
  return {
    matchesRoute: (name) => name === routeName || name === routes.get(routeName),
    url: () => req.path,
  }
}

const noFlash = { has: () => false, get: () => undefined }

const app = express()
app.disable('x-powered-by')
app.set('etag', false)
// The bench talks plain HTTP on loopback and says https in X-Forwarded-Proto,
// so the session cookies stay `Secure` as the app's are.
app.set('trust proxy', 'loopback')
app.use(sessions[driver]())

app.get('/', async (req, res, next) => {
  try {
    const userLanguage = req.session.userLanguage
    const locale = locales.includes(userLanguage) ? userLanguage : 'en'
    const html = await edge
      .getRenderer()
      .share({
        t: translator(locale),
        i18n: { locale },
        flashMessages: noFlash,
        request: viewRequest('home', req),
      })
      .render('pages/home', { userLanguage })
    res.type('html').send(html)
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
