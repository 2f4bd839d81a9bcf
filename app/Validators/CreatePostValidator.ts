import { schema, rules } from '@ioc:Adonis/Core/Validator'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'

export default class CreatePostValidator {
  constructor(protected ctx: HttpContextContract) {}

  /**
   * The one source of the limits: the rules below and the form's `maxlength`
   * and hints (PostsController.create) read them here.
   */
  public static limits = {
    title: { min: 3, max: 120 },
    body: { min: 1, max: 5000 },
  }

  public schema = schema.create({
    title: schema.string({ trim: true }, [
      rules.minLength(CreatePostValidator.limits.title.min),
      rules.maxLength(CreatePostValidator.limits.title.max),
    ]),
    body: schema.string({ trim: true }, [
      rules.minLength(CreatePostValidator.limits.body.min),
      rules.maxLength(CreatePostValidator.limits.body.max),
    ]),
  })

  /**
   * The rules see the values before the `trim` option applies, so strings are
   * trimmed here first: "   " counts as missing and "  ab  " as two characters.
   * A browser sends each line break as CRLF but counts it as one character
   * against `maxlength`: it is counted (and stored) as one here too.
   */
  public data = Object.fromEntries(
    Object.entries(this.ctx.request.all()).map(([key, value]) => [
      key,
      typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : value,
    ])
  )

  /**
   * Messages come from resources/lang/<locale>/validator.json, in the
   * visitor's language.
   */
  public messages = this.ctx.i18n.validatorMessages('validator.shared')
}
