import Config from '@ioc:Adonis/Core/Config'
import { Exception } from '@adonisjs/core/build/standalone'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { BodyParserConfig } from '@ioc:Adonis/Core/BodyParser'

/**
 * Refuses a body the app does not read (JSON, multipart, text, anything but
 * the form types of config/bodyparser.ts) with the 415 page, before the
 * body parser or the CSRF check touch it: the v5 multipart parser crashes
 * the process on some bodies and keeps every upload in the temp folder.
 *
 * A body sent with `Content-Encoding: gzip`, `deflate` or `br` that does not
 * decompress fails in the body parser with zlib's error, which has no
 * status: it gets the 400 page (and one log line) instead of a 500.
 */
export default class AcceptedBody {
  public async handle({ request }: HttpContextContract, next: () => Promise<void>) {
    const { whitelistedMethods, form, json }: BodyParserConfig = Config.get('bodyparser')
    if (
      whitelistedMethods.includes(request.method()) &&
      hasBody(request.headers()) &&
      !request.is([...form.types, ...json.types])
    ) {
      throw new Exception('Unsupported body type', 415, 'E_UNSUPPORTED_MEDIA_TYPE')
    }
    try {
      await next()
    } catch (error) {
      throw isDecompressionError(error)
        ? new Exception(`Undecodable body: ${error.message}`, 400, 'E_UNDECODABLE_BODY')
        : error
    }
  }
}

/**
 * A body of at least one byte. Clients send `Content-Length: 0` with a POST
 * that has none; that is no body to refuse.
 */
function hasBody(headers: Record<string, string | string[] | undefined>) {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length']) > 0
}

/**
 * zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR...) and Brotli's
 * (ERR__ERROR_FORMAT_...): a number and a code, and no HTTP status.
 */
function isDecompressionError(error: any) {
  return (
    typeof error?.errno === 'number' &&
    error.status === undefined &&
    /^(Z_|ERR__ERROR_)/.test(String(error.code))
  )
}
