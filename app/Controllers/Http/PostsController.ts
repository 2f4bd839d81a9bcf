import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import Post from 'App/Models/Post'
import CreatePostValidator from 'App/Validators/CreatePostValidator'
import FormToken from 'App/Services/FormToken'

export default class PostsController {
  public async index({ view }: HttpContextContract) {
    const posts = await Post.query().orderBy('created_at', 'desc').orderBy('id', 'desc')
    return view.render('posts/index', { posts })
  }

  public async create({ view, session }: HttpContextContract) {
    return view.render('posts/create', {
      limits: CreatePostValidator.limits,
      formToken: FormToken.issue(session),
      flashJson: JSON.stringify(session.flashMessages.all(), null, 2),
    })
  }

  /**
   * A form sent a second time (Back, then Publish) stores nothing and lands on
   * the list; a form whose token the session no longer knows goes back with
   * its text. A request without the field (an API client) is not deduplicated.
   */
  public async store({ request, session, response, i18n }: HttpContextContract) {
    const token = request.input(FormToken.field)
    const state = token === undefined ? null : FormToken.state(session, token)
    if (state === 'sent') {
      session.flash('success', i18n.formatMessage('messages.posts.alreadySent'))
      return response.redirect().toRoute('posts.index')
    }
    if (state === 'unknown') {
      session.flashOnly(['title', 'body'])
      session.flash('error', i18n.formatMessage('messages.posts.formExpired'))
      return response.redirect().toRoute('posts.create')
    }

    const payload = await request.validate(CreatePostValidator)
    await Post.create(payload)
    if (state === 'open') {
      FormToken.markSent(session, token)
    }

    session.flash('success', i18n.formatMessage('messages.posts.created'))
    return response.redirect().toRoute('posts.index')
  }
}
