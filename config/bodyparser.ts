/*
|--------------------------------------------------------------------------
| Body parser
|--------------------------------------------------------------------------
|
| Posts are small: a body over the limit is answered with the 413 page
| instead of being buffered. The app reads forms and JSON only: multipart
| and raw bodies are never parsed (the v5 multipart parser crashes the
| process on some bodies and keeps uploads in the temp folder), and
| app/Middleware/AcceptedBody.ts answers them with the 415 page first.
|
*/

import type { BodyParserConfig } from '@ioc:Adonis/Core/BodyParser'

const bodyParserConfig: BodyParserConfig = {
  whitelistedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  json: {
    encoding: 'utf-8',
    limit: '1mb',
    strict: true,
    types: ['application/json', 'application/json-patch+json', 'application/vnd.api+json'],
  },
  form: {
    encoding: 'utf-8',
    limit: '1mb',
    queryString: {},
    convertEmptyStringsToNull: true,
    types: ['application/x-www-form-urlencoded'],
  },
  raw: {
    encoding: 'utf-8',
    limit: '1mb',
    queryString: {},
    types: [],
  },
  multipart: {
    autoProcess: false,
    processManually: [],
    encoding: 'utf-8',
    convertEmptyStringsToNull: true,
    maxFields: 100,
    limit: '1mb',
    types: [],
  },
}

export default bodyParserConfig
