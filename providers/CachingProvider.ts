import type { ApplicationContract } from '@ioc:Adonis/Core/Application'
import { IntlMessageFormat } from 'intl-messageformat'
import { formatters } from '@poppinss/intl-formatter'
import { IcuFormatter } from '@adonisjs/i18n/build/src/Formatters/Message/Icu'

/**
 * The stock ICU formatter, except that each message is parsed once per
 * locale instead of on every `t()` call.
 */
export class CompiledIcuFormatter {
  public readonly name = 'icu-compiled'
  private compiled = new Map<string, IntlMessageFormat>()

  public format(message: string, locale: string, data?: Record<string, any>) {
    const key = `${locale}\u0000${message}`
    let compiled = this.compiled.get(key)
    if (!compiled) {
      compiled = new IntlMessageFormat(message, locale, (IcuFormatter as any).customFormats, {
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
 * Keeps what the stock packages rebuild on every request although it never
 * changes while the app runs.
 */
export default class CachingProvider {
  constructor(protected app: ApplicationContract) {}

  public async boot() {
    this.app.container.withBindings(['Adonis/Addons/I18n'], (I18n) => {
      I18n.extend('icu-compiled', 'formatter', () => new CompiledIcuFormatter())
    })
  }
}
