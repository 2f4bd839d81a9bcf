import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import Post from 'App/Models/Post'
import CreatePostValidator from 'App/Validators/CreatePostValidator'
import PostService from 'App/Services/PostService'

export default class PostsController {
  public async index({ view }: HttpContextContract) {
    const posts = await Post.query().orderBy('created_at', 'desc').orderBy('id', 'desc')
    return view.render('posts/index', { posts })
  }

  public async create({ view }: HttpContextContract) {
    return view.render('posts/create', { submission: PostService.newSubmission() })
  }

  public async store({ request, session, response, i18n }: HttpContextContract) {
    const payload = await request.validate(CreatePostValidator)
    await PostService.publish(payload, request.input('_submission'))

    session.flash('success', i18n.formatMessage('messages.posts.created'))
    return response.redirect().toRoute('posts.index')
  }
}
