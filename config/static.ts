/*
|--------------------------------------------------------------------------
| Static files
|--------------------------------------------------------------------------
|
| Serves public/ (the stylesheet) before the router sees the request, and
| so before the hook that sets the security headers: the one of them a
| file needs, nosniff, is set here.
|
*/

import { AssetsConfig } from '@ioc:Adonis/Core/Static'

const NOSNIFF = { 'X-Content-Type-Options': 'nosniff' }

const staticConfig: AssetsConfig = {
  enabled: true,
  dotFiles: 'ignore',
  etag: true,
  lastModified: true,
  headers: () => NOSNIFF,
}

export default staticConfig
