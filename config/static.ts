/*
|--------------------------------------------------------------------------
| Static files
|--------------------------------------------------------------------------
|
| Serves public/ (the stylesheet) before the router sees the request.
|
*/

import { AssetsConfig } from '@ioc:Adonis/Core/Static'

const staticConfig: AssetsConfig = {
  enabled: true,
  dotFiles: 'ignore',
  etag: true,
  lastModified: true,
}

export default staticConfig
