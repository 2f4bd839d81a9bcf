/*
|--------------------------------------------------------------------------
| The app's home page, rendered outside the app
|--------------------------------------------------------------------------
|
| What every peer shares: the app's Edge views, its translations and its
| named routes, so that a peer's page is byte for byte the app's.
|
|   ROUTES_FILE=routes.json   the app's routes (`node ace list:routes --json`)
|   STOCK_EDGE=1              stock edge.js instead of the app's template cache
|
*/

const { readFileSync } = require('node:fs')
const { join } = require('node:path')
const { Edge, GLOBALS } = require('edge.js')
const { IntlMessageFormat } = require('intl-messageformat')

const root = join(__dirname, '..', '..')
const locales = ['en', 'fr', 'it']

/**
 * The app's Edge template cache, from the production build that the bench
 * makes first. Peers use it by default so that the comparison is about
 * everything but the template engine.
 */
const EDGE_CACHE = join(root, 'build/providers/Patches/EdgeTemplateCache')

/**
 * ICU messages from resources/lang, flattened as `messages.home.heading`,
 * each compiled once, as the app's `icu-compiled` formatter does.
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
 * The app's named routes, so that `route('posts.index')` gives the same
 * URLs as in the app.
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

const noFlash = { has: () => false, get: () => undefined }

/**
 * An Edge instance over the app's views, with the globals the views read.
 * `driver` is shown in the footer.
 */
function views(driver) {
  if (!process.env.STOCK_EDGE) require(EDGE_CACHE).cacheCompiledTemplates()
  const edge = new Edge({ cache: true })
  edge.mount(join(root, 'resources/views'))
  for (const [name, value] of Object.entries(GLOBALS)) edge.global(name, value)
  edge.global('route', route)
  edge.global('getSupportedLocales', () => locales)
  edge.global('sessionDriver', driver)

  return {
    /**
     * The home page for a visitor whose session holds `userLanguage`;
     * `path` is the request's path, which the views read.
     */
    home(userLanguage, path) {
      const locale = locales.includes(userLanguage) ? userLanguage : 'en'
      return edge
        .getRenderer()
        .share({
          t: translator(locale),
          i18n: { locale },
          flashMessages: noFlash,
          request: {
            matchesRoute: (name) => name === 'home' || name === routes.get('home'),
            url: () => path,
          },
        })
        .render('pages/home', { userLanguage })
    },
  }
}

module.exports = { locales, views }
