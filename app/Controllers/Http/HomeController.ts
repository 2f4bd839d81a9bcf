import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import UserLanguage from 'App/Services/UserLanguage'

export default class HomeController {
  public async index({ session, view }: HttpContextContract) {
    return view.render('pages/home', {
      userLanguage: session.get(UserLanguage.sessionKey),
    })
  }
}
