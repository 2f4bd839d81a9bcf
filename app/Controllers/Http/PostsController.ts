import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import Route from '@ioc:Adonis/Core/Route'
import { Exception } from '@adonisjs/core/build/standalone'
import Post from 'App/Models/Post'
import CreatePostValidator from 'App/Validators/CreatePostValidator'
import PostService from 'App/Services/PostService'

const PER_PAGE = 20

export default class PostsController {
  /**
   * The posts, newest first, a page at a time. `?page=` names one of the
   * pages; anything else (`abc`, `0`, a page past the last) is the 404 page.
   */
  public async index({ request, view }: HttpContextContract) {
    const page = pageNumber(request.qs().page)
    const posts = await Post.query()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .paginate(page, PER_PAGE)
    if (page > posts.lastPage) {
      throw notFound()
    }
    posts.baseUrl(Route.makeUrl('posts.index'))
    return view.render('posts/index', { posts })
  }

  public async create({ view, session }: HttpContextContract) {
    return view.render('posts/create', {
      limits: CreatePostValidator.limits,
      submission: PostService.newSubmission(),
      flashJson: JSON.stringify(session.flashMessages.all(), null, 2),
    })
  }

  /**
   * A form sent a second time (Back, then Publish, or a browser resending it
   * after a lost connection) stores nothing and lands on the list with a
   * note: each form carries a submission id of its own (PostService).
   */
  public async store({ request, session, response, i18n }: HttpContextContract) {
    const payload = await request.validate(CreatePostValidator)
    const { created } = await PostService.publish(payload, request.input('_submission'))

    const message = created ? 'messages.posts.created' : 'messages.posts.alreadySent'
    session.flash('success', i18n.formatMessage(message))
    return response.redirect().toRoute('posts.index')
  }
}

function pageNumber(value: unknown) {
  if (value === undefined) {
    return 1
  }
  if (typeof value !== 'string' || !/^[1-9]\d{0,8}$/.test(value)) {
    throw notFound()
  }
  return Number(value)
}

function notFound() {
  return new Exception('No such page of posts', 404, 'E_PAGE_NOT_FOUND')
}
