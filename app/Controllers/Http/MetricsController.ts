import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import { Exception } from '@adonisjs/core/build/standalone'
import { metricsText } from 'App/Services/Metrics'

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

export default class MetricsController {
  /**
   * The metrics, for a scraper on this machine only. A request from another
   * address, or one that came through a proxy (HAProxy adds
   * X-Forwarded-For), gets the same 404 page as an unknown URL: from the
   * outside, there is nothing here.
   */
  public async show({ request, response }: HttpContextContract) {
    const headers = request.headers()
    const peer = request.request.socket.remoteAddress
    if (headers['x-forwarded-for'] || headers['forwarded'] || !LOOPBACK.has(peer || '')) {
      throw new Exception(`Cannot GET:${request.url()}`, 404, 'E_ROUTE_NOT_FOUND')
    }
    const { contentType, body } = await metricsText()
    return response.header('content-type', contentType).send(body)
  }
}
