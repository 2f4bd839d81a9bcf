/*
 * Patch: the ICU formatter parses each message once per locale.
 *
 * Gain, measured with it off (server CPU per request, cookie driver;
 * docs/patches.md): a returning visitor's page 148 µs instead of 635; a
 * language switch renders nothing (192 and 206 µs, within the noise).
 *
 * If @adonisjs/i18n changes: boot stops when IcuFormatter.customFormats is
 * gone. What the check cannot see: a formatter contract with new arguments to
 * format(), or options the stock formatter starts to pass to
 * intl-messageformat, would be missed here. If intl-messageformat changes its
 * syntax tree (a literal is type 0), a message without arguments would be
 * printed wrong: the functional suite's translated pages show it.
 */
import type { I18nManagerContract } from '@ioc:Adonis/Addons/I18n'
import { IntlMessageFormat } from 'intl-messageformat'
import { formatters } from '@poppinss/intl-formatter'
import { PatchTarget, patchTarget } from './patchTarget'

/**
 * `TYPE.literal` of @formatjs/icu-messageformat-parser, which parses the
 * messages for intl-messageformat: text, quotes already unescaped.
 */
const LITERAL = 0

/**
 * A message as compiled for one locale: its text when it has no argument
 * (most messages), which no data can change.
 */
type Compiled = { text: string } | { format: IntlMessageFormat }

/**
 * The stock ICU formatter, except that each message is parsed once per
 * locale instead of on every `t()` call, and a message without arguments is
 * not formatted at all. Messages are looked up by locale, then by the
 * message string itself: translations hand out the same string every time,
 * whose hash V8 keeps. It uses the custom formats that
 * `IcuFormatter.addFormat()` collects on the stock class.
 */
class CompiledIcuFormatter {
  public readonly name = 'icu-compiled'
  private compiled = new Map<string, Map<string, Compiled>>()

  constructor(private customFormats: Record<string, any>) {}

  public format(message: string, locale: string, data?: Record<string, any>) {
    let messages = this.compiled.get(locale)
    if (!messages) {
      messages = new Map()
      this.compiled.set(locale, messages)
    }
    let compiled = messages.get(message)
    if (!compiled) {
      compiled = this.compile(message, locale)
      messages.set(message, compiled)
    }
    return 'text' in compiled ? compiled.text : (compiled.format.format(data || {}) as string)
  }

  private compile(message: string, locale: string): Compiled {
    const format = new IntlMessageFormat(message, locale, this.customFormats, {
      // The memoized Intl formatters the stock one uses; their typings
      // disagree with TypeScript's Intl types, as the stock code notes.
      formatters: {
        getNumberFormat: formatters.number,
        getDateTimeFormat: formatters.date,
        getPluralRules: formatters.plural,
      } as any,
      ignoreTag: true,
    })
    const elements = format.getAst()
    if (elements.every((element) => element.type === LITERAL)) {
      return { text: elements.map((element: any) => element.value).join('') }
    }
    return { format }
  }
}

/** What the patch replaces or reads, checked at boot. */
export const targets: PatchTarget[] = [
  {
    package: '@adonisjs/i18n',
    writtenFor: '1.6.0',
    module: '@adonisjs/i18n/build/src/Formatters/Message/Icu',
    members: ['IcuFormatter.customFormats'],
  },
]

/**
 * Registers the `icu-compiled` formatter that config/i18n.ts names as its
 * `translationsFormat`.
 */
export function registerCompiledIcuFormatter(I18n: I18nManagerContract) {
  const { IcuFormatter } = patchTarget<
    typeof import('@adonisjs/i18n/build/src/Formatters/Message/Icu')
  >(targets[0])
  const customFormats = (IcuFormatter as any).customFormats
  I18n.extend('icu-compiled', 'formatter', () => new CompiledIcuFormatter(customFormats))
}
