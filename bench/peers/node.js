/*
|--------------------------------------------------------------------------
| Bare node:http
|--------------------------------------------------------------------------
|
| The ceiling: the bytes of the app's home page, served by node:http with
| nothing in between, and "ok" on /floor.
|
|   PORT=4000 BODY_FILE=page.html node bench/peers/node.js
|
*/

const http = require('node:http')
const { readFileSync } = require('node:fs')

const body = readFileSync(process.env.BODY_FILE)

const ok = Buffer.from('ok')

const server = http.createServer((req, res) => {
  if (req.url === '/floor') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 2 })
    res.end(ok)
    return
  }
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': body.length,
  })
  res.end(body)
})

server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`node peer listening on ${server.address().port}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
