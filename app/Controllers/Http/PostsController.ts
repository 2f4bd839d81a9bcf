import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import Route from '@ioc:Adonis/Core/Route'
import { Exception } from '@adonisjs/core/build/standalone'
import Post from 'App/Models/Post'
import CreatePostValidator from 'App/Validators/CreatePostValidator'

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

  public async create({ view }: HttpContextContract) {
    return view.render('posts/create')
  }

  public async store({ request, session, response, i18n }: HttpContextContract) {
    const payload = await request.validate(CreatePostValidator)
    await Post.create(payload)

    session.flash('success', i18n.formatMessage('messages.posts.created'))
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
