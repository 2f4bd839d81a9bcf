import { schema, rules } from '@ioc:Adonis/Core/Validator'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { RequestContract } from '@ioc:Adonis/Core/Request'

export default class CreatePostValidator {
  constructor(protected ctx: HttpContextContract) {}

  /**
   * The form's fields and their lengths: the schema checks them, and a
   * failed post keeps only these for the form to refill (`oldInput`).
   */
  public static fields = {
    title: { minLength: 3, maxLength: 120 },
    body: { minLength: 1, maxLength: 5000 },
  }

  /**
   * What a failed post (validation or CSRF) flashes back: the form's own
   * fields as typed, cut to their maximum length. Any other key, however
   * many or however named (`success`, `errors`…), is left out: a flash key
   * is either one of these fields or a message the app wrote.
   */
  public static oldInput(request: RequestContract) {
    const kept: Record<string, string> = {}
    for (const [name, { maxLength }] of Object.entries(this.fields)) {
      const value = request.all()[name]
      if (typeof value === 'string') {
        kept[name] = value.slice(0, maxLength)
      }
    }
    return kept
  }

  public schema = schema.create({
    title: schema.string({ trim: true }, lengthRules(CreatePostValidator.fields.title)),
    body: schema.string({ trim: true }, lengthRules(CreatePostValidator.fields.body)),
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

function lengthRules({ minLength, maxLength }: { minLength: number; maxLength: number }) {
  return [rules.minLength(minLength), rules.maxLength(maxLength)]
}
