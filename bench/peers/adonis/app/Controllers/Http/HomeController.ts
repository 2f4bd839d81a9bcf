import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'

export default class HomeController {
  public async index({ session, view }: HttpContextContract) {
    return view.render('pages/home', { userLanguage: session.get('userLanguage') })
  }
}
