/*
|--------------------------------------------------------------------------
| Internationalization
|--------------------------------------------------------------------------
|
| The template's settings; the translations are the app's (resources/lang,
| through the `resources` directory of .adonisrc.json).
|
*/

import Application from '@ioc:Adonis/Core/Application'
import { I18nConfig } from '@ioc:Adonis/Addons/I18n'

const i18nConfig: I18nConfig = {
  translationsFormat: 'icu',
  defaultLocale: 'en',
  supportedLocales: ['en', 'fr', 'it'],
  provideValidatorMessages: true,
  loaders: {
    fs: {
      enabled: true,
      location: Application.resourcesPath('lang'),
    },
  },
}

export default i18nConfig
