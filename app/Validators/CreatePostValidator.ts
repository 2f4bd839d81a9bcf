import { schema, rules } from '@ioc:Adonis/Core/Validator'
import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { RequestContract } from '@ioc:Adonis/Core/Request'

export default class CreatePostValidator {
  constructor(protected ctx: HttpContextContract) {}

  /**
   * The one source of the form's fields and their lengths: the rules below,
   * the form's `maxlength` and hints (PostsController.create), and what a
   * failed post keeps for the form to refill (`oldInput`) read them here.
   */
  public static limits = {
    title: { min: 3, max: 120 },
    body: { min: 1, max: 5000 },
  }

  /**
   * What a failed post flashes back (App/Services/OldInput): the form's own
   * fields as typed, cut to their maximum length. Any other key, however
   * many or however named (`success`, `errors`…), is left out: a flash key
   * is either one of these fields or a message the app wrote.
   */
  public static oldInput(request: RequestContract) {
    const kept: Record<string, string> = {}
    for (const [name, { max }] of Object.entries(this.limits)) {
      const value = request.all()[name]
      if (typeof value === 'string') {
        kept[name] = value.replace(/\r\n/g, '\n').slice(0, max)
      }
    }
    return kept
  }

  public schema = schema.create({
    title: schema.string({ trim: true }, lengthRules(CreatePostValidator.limits.title)),
    body: schema.string({ trim: true }, lengthRules(CreatePostValidator.limits.body)),
  })

  /**
   * The implicit `required` check runs before the `trim` option applies (the
   * other rules see the trimmed value), so a title of spaces would pass it
   * and fail `minLength` instead. Strings are trimmed here first: "   "
   * counts as missing. A browser sends each line break as CRLF but counts it
   * as one character against `maxlength`: it is counted (and stored) as one
   * here too.
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

function lengthRules({ min, max }: { min: number; max: number }) {
  return [rules.minLength(min), rules.maxLength(max)]
}
