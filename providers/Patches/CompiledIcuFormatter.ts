import type { I18nManagerContract } from '@ioc:Adonis/Addons/I18n'
import { IntlMessageFormat } from 'intl-messageformat'
import { formatters } from '@poppinss/intl-formatter'
import { patchTarget } from './patchTarget'

/**
 * The stock ICU formatter, except that each message is parsed once per
 * locale instead of on every `t()` call. It uses the custom formats that
 * `IcuFormatter.addFormat()` collects on the stock class.
 */
class CompiledIcuFormatter {
  public readonly name = 'icu-compiled'
  private compiled = new Map<string, IntlMessageFormat>()

  constructor(private customFormats: Record<string, any>) {}

  public format(message: string, locale: string, data?: Record<string, any>) {
    const key = `${locale}\u0000${message}`
    let compiled = this.compiled.get(key)
    if (!compiled) {
      compiled = new IntlMessageFormat(message, locale, this.customFormats, {
        // The memoized Intl formatters the stock one uses; their typings
        // disagree with TypeScript's Intl types, as the stock code notes.
        formatters: {
          getNumberFormat: formatters.number,
          getDateTimeFormat: formatters.date,
          getPluralRules: formatters.plural,
        } as any,
        ignoreTag: true,
      })
      this.compiled.set(key, compiled)
    }
    return compiled.format(data || {}) as string
  }
}

/**
 * Registers the `icu-compiled` formatter that config/i18n.ts names as its
 * `translationsFormat`.
 */
export function registerCompiledIcuFormatter(I18n: I18nManagerContract) {
  const { IcuFormatter } = patchTarget<
    typeof import('@adonisjs/i18n/build/src/Formatters/Message/Icu')
  >({
    package: '@adonisjs/i18n',
    writtenFor: '1.6.0',
    module: '@adonisjs/i18n/build/src/Formatters/Message/Icu',
    members: ['IcuFormatter.customFormats'],
  })
  const customFormats = (IcuFormatter as any).customFormats
  I18n.extend('icu-compiled', 'formatter', () => new CompiledIcuFormatter(customFormats))
}
