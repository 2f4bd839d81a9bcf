import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import Config from '@ioc:Adonis/Core/Config'
import SessionStore from 'App/Services/SessionStore'

export default class HealthController {
  public async show({ response }: HttpContextContract) {
    const store = await SessionStore.check()
    return response.status(store.ok ? 200 : 503).send({
      status: store.ok ? 'ok' : 'unavailable',
      instance: Config.get('app.instanceName'),
      session: { driver: SessionStore.driver, store },
    })
  }
}
