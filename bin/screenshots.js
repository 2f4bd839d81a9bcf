/*
|--------------------------------------------------------------------------
| npm run screenshots
|--------------------------------------------------------------------------
|
| Starts the app on a free port with a SQLite file of its own under tmp/,
| and writes the README's pictures to docs/screenshots/ from the system
| Chromium at a fixed 1280x800 viewport (a shot may name its own, as the
| phone view does). Options:
|
|   node bin/screenshots.js home-fr            only the named shots
|   --viewport 390x844 --out tmp/mobile        another size, elsewhere
|
| To add a picture, add an entry to `shots`: it gets a new visitor's page.
|
*/

const { spawnSync } = require('node:child_process')
const { mkdirSync, rmSync } = require('node:fs')
const { join, relative } = require('node:path')
const { root, ensureEnvFile } = require('./setup')
const { freePort } = require('../support/services')
const { AppProcess } = require('../support/app_process')
const { launchChromium } = require('../support/chromium')

/**
 * Fills the post form and sends it, waiting for the page it leads to.
 */
async function submitPost(page, title, body) {
  await page.fill('#title', title)
  await page.fill('#body', body)
  await Promise.all([page.waitForEvent('load'), page.click('form button[type=submit]')])
}

const shots = [
  {
    file: 'home-fr.png',
    about: 'the home page in French',
    async capture(page) {
      await page.goto('/')
      await Promise.all([page.waitForEvent('load'), page.click('a[href="language/fr"]')])
    },
  },
  {
    file: 'post-errors.png',
    about: 'the form with errors and old input',
    async capture(page) {
      await page.goto('/posts/create')
      await submitPost(
        page,
        'Hi',
        'Validation errors and the old input travel to this page as flash messages.'
      )
    },
  },
  {
    file: 'post-created.png',
    about: 'the posts list with the success message',
    async capture(page) {
      await page.goto('/posts/create')
      await submitPost(
        page,
        'Storing the language in the session',
        'session.put() keeps a value for the next requests; the middleware reads it back.'
      )
      await page.goto('/posts/create')
      await submitPost(
        page,
        'Flash messages last one request',
        'The success message shows once after the redirect and is gone on reload.'
      )
    },
  },
  {
    file: 'inspector.png',
    about: 'the session inspector (cookie driver) after choosing English',
    async capture(page) {
      await page.goto('/')
      await Promise.all([page.waitForEvent('load'), page.click('a[href="language/en"]')])
      await Promise.all([page.waitForEvent('load'), page.click('#footer-inspector')])
    },
  },
  {
    file: 'inspector-phone.png',
    about: 'the session inspector on a phone (390x844), in French, at its storage card',
    viewport: { width: 390, height: 844 },
    async capture(page) {
      await page.goto('/')
      await Promise.all([page.waitForEvent('load'), page.click('a[href="language/fr"]')])
      await Promise.all([page.waitForEvent('load'), page.click('#footer-inspector')])
      await page.locator('#inspector-storage').evaluate((card) => card.scrollIntoView())
    },
  },
  {
    file: 'inspector-first-visit.png',
    about: 'the session inspector on a first visit: no session, and the one cookie explained',
    async capture(page) {
      await page.goto('/session')
      await page.reload()
    },
  },
  {
    file: 'inspector-race.png',
    about:
      'the race card with the cookie driver, after "Race as a new visitor" then "Race two requests"',
    async capture(page) {
      await page.goto('/session')
      await Promise.all([page.waitForEvent('load'), page.click('#race-form button[value="new"]')])
      await Promise.all([
        page.waitForEvent('load'),
        page.click('#race-form button[value="returning"]'),
      ])
      await page.locator('#inspector-race').evaluate((card) => card.scrollIntoView())
    },
  },
]

function parseArgs(argv) {
  const options = { names: [], width: 1280, height: 800, out: 'docs/screenshots' }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--viewport') {
      ;[options.width, options.height] = argv[++i].split('x').map(Number)
    } else if (argv[i] === '--out') {
      options.out = argv[++i]
    } else {
      options.names.push(argv[i].replace(/\.png$/, ''))
    }
  }
  return options
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
  const selected = shots.filter(
    (shot) => !options.names.length || options.names.includes(shot.file.replace(/\.png$/, ''))
  )
  if (!selected.length) {
    throw new Error(`No shot named ${options.names.join(', ')}`)
  }

  ensureEnvFile()
  mkdirSync(join(root, 'tmp'), { recursive: true })
  const dbFile = `tmp/screenshots-${process.pid}.sqlite3`
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    SESSION_DRIVER: 'cookie',
    DB_FILE: dbFile,
    CACHE_VIEWS: 'true',
  }

  const migrate = spawnSync(process.execPath, ['ace', 'db:migrate'], {
    cwd: root,
    env,
    encoding: 'utf8',
  })
  if (migrate.status !== 0) {
    throw new Error(`Migrations failed:\n${migrate.stdout}${migrate.stderr}`)
  }

  const app = new AppProcess(await freePort(), env)
  let browser
  try {
    await app.start()
    browser = await launchChromium()
    const outDir = join(root, options.out)
    mkdirSync(outDir, { recursive: true })

    for (const shot of selected) {
      const context = await browser.newContext({
        baseURL: app.url,
        viewport: shot.viewport || { width: options.width, height: options.height },
        deviceScaleFactor: 1,
      })
      const page = await context.newPage()
      await shot.capture(page)
      const path = join(outDir, shot.file)
      await page.screenshot({ path })
      await context.close()
      console.log(`${relative(root, path)}: ${shot.about}`)
    }
  } finally {
    if (browser) await browser.close()
    await app.stop()
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(root, dbFile + suffix), { force: true })
  }
}

main().catch((error) => {
  console.error(error.message)
  process.exit(1)
})
