import { randomUUID } from 'node:crypto'
import { connect } from 'node:net'
import { Visitor, appUrl, formBody } from './visitor'
import { sessionRead } from './session_routes'

export type HeldResponse = { status: number; location?: string; body: string }

/**
 * A form post from a slow network: the request goes out with all of its
 * body but the last byte, and resolves once the server has read its session
 * (and is waiting for the rest of the body). `finish()` sends the last byte,
 * reads the response and stores its cookies in the visitor's jar, as the
 * browser would when the response arrives.
 */
export async function holdPost(
  visitor: Visitor,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {}
) {
  const { hostname, port } = new URL(appUrl())
  const id = randomUUID()
  const body = formBody(form)
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    'Accept: text/html',
    'Content-Type: application/x-www-form-urlencoded',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `Cookie: ${visitor.cookieHeader()}`,
    `X-Held-Request: ${id}`,
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n')

  const read = sessionRead(id)
  const socket = connect(Number(port), hostname)
  const chunks: Buffer[] = []
  socket.on('data', (chunk) => chunks.push(chunk))
  const closed = new Promise<void>((resolve, reject) => {
    socket.on('end', resolve)
    socket.on('error', reject)
  })
  socket.write(head + body.slice(0, -1))
  await read

  return {
    async finish(): Promise<HeldResponse> {
      socket.write(body.slice(-1))
      await closed
      const raw = Buffer.concat(chunks).toString('utf8')
      const [headerText, ...rest] = raw.split('\r\n\r\n')
      const [statusLine, ...lines] = headerText.split('\r\n')
      const header = (name: string) =>
        lines
          .filter((line) => line.toLowerCase().startsWith(`${name}:`))
          .map((line) => line.slice(name.length + 1).trim())
      visitor.receive(header('set-cookie'))
      return {
        status: Number(statusLine.split(' ')[1]),
        location: header('location')[0],
        body: rest.join('\r\n\r\n'),
      }
    },
  }
}
