/*
|--------------------------------------------------------------------------
| Internationalization
|--------------------------------------------------------------------------
|
| The visitor's language lives in the session (see DetectUserLanguage);
| translations are ICU messages under resources/lang/<locale>.
|
*/

import Application from '@ioc:Adonis/Core/Application'
import { I18nConfig } from '@ioc:Adonis/Addons/I18n'
import { patchesEnabled } from '../providers/Patches'

const i18nConfig: I18nConfig = {
  /**
   * The stock `icu` format, parsing each message once: the formatter is
   * providers/Patches/CompiledIcuFormatter.ts, registered by
   * providers/PatchesProvider.ts. The stock one with APP_PATCHES=off.
   */
  translationsFormat: patchesEnabled() ? 'icu-compiled' : 'icu',
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
