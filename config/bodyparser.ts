/*
|--------------------------------------------------------------------------
| Body parser
|--------------------------------------------------------------------------
|
| Posts are small: a body over the limit is answered with the 413 page
| instead of being buffered. The post form's largest body, a title of 120
| and a text of 5,000 characters that each take 4 bytes in UTF-8 and 3
| characters per byte once form-encoded, is about 62 KB: the limit is 64 KB.
| The app reads forms only (the query string parser keeps at most 1,000
| fields). It has no JSON API: a JSON body is refused unread, as 64 KB of
| JSON holds 6,000 keys, whose parsing and copying blocked the event loop
| for 25 ms. Multipart and raw bodies are never parsed either (the v5
| multipart parser crashes the process on some bodies and keeps uploads in
| the temp folder): app/Middleware/AcceptedBody.ts answers every body but a
| form with the 415 page first.
|
*/

import type { BodyParserConfig } from '@ioc:Adonis/Core/BodyParser'

const bodyParserConfig: BodyParserConfig = {
  whitelistedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  json: {
    encoding: 'utf-8',
    limit: '64kb',
    strict: true,
    // No JSON body is read: see above.
    types: [],
  },
  form: {
    encoding: 'utf-8',
    limit: '64kb',
    queryString: {},
    convertEmptyStringsToNull: true,
    types: ['application/x-www-form-urlencoded'],
  },
  raw: {
    encoding: 'utf-8',
    limit: '64kb',
    queryString: {},
    types: [],
  },
  multipart: {
    autoProcess: false,
    processManually: [],
    encoding: 'utf-8',
    convertEmptyStringsToNull: true,
    maxFields: 100,
    limit: '64kb',
    types: [],
  },
}

export default bodyParserConfig
