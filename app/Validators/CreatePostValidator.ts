import { schema, rules } from '@ioc:Adonis/Core/Validator'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'

export default class CreatePostValidator {
  constructor(protected ctx: HttpContextContract) {}

  public schema = schema.create({
    title: schema.string({ trim: true }, [rules.minLength(3), rules.maxLength(120)]),
    body: schema.string({ trim: true }, [rules.minLength(1), rules.maxLength(5000)]),
  })

  /**
   * The implicit `required` check runs before the `trim` option applies (the
   * other rules see the trimmed value), so a title of spaces would pass it
   * and fail `minLength` instead. Strings are trimmed here first: "   "
   * counts as missing.
   */
  public data = Object.fromEntries(
    Object.entries(this.ctx.request.all()).map(([key, value]) => [
      key,
      typeof value === 'string' ? value.trim() : value,
    ])
  )

  /**
   * Messages come from resources/lang/<locale>/validator.json, in the
   * visitor's language.
   */
  public messages = this.ctx.i18n.validatorMessages('validator.shared')
}
