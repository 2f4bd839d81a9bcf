import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { AllowedSessionValues } from '@ioc:Adonis/Addons/Session'
import { Store } from './Store'
import type { SessionDriverOptions } from './types'

/**
 * The flash messages of one request's session, and whether it may be read
 * and changed yet: those the previous request
 * left (`flashMessages`, read by the views) and those this one leaves for the
 * next (`responseFlashMessages`), with @adonisjs/session's API. The session
 * (Session.ts) commits the latter with the rest of the request's change.
 */
export abstract class SessionFlash {
  public initiated = false
  public readonly = false
  public flashMessages = new Store()
  public responseFlashMessages = new Store()

  constructor(
    protected ctx: HttpContextContract,
    private shedInput: SessionDriverOptions['shedInput']
  ) {}

  protected ensureIsReady() {
    if (!this.initiated) {
      throw new Error('The session is not initiated yet: is the session hook registered?')
    }
  }

  protected ensureIsMutable() {
    this.ensureIsReady()
    if (this.readonly) {
      throw new Error('The session is read-only in this request')
    }
  }

  public flash(
    key: string | { [key: string]: AllowedSessionValues },
    value?: AllowedSessionValues
  ) {
    this.ensureIsMutable()
    if (typeof key !== 'string') {
      this.responseFlashMessages.merge(key)
    } else if (value) {
      this.responseFlashMessages.set(key, value)
    }
  }

  public flashAll() {
    this.flashInput(this.ctx.request.original())
  }

  public flashExcept(keys: string[]) {
    const input = { ...this.ctx.request.original() }
    for (const key of keys) delete input[key]
    this.flashInput(input)
  }

  public flashOnly(keys: string[]) {
    const original = this.ctx.request.original()
    const input: Record<string, any> = {}
    for (const key of keys) {
      if (key in original) input[key] = original[key]
    }
    this.flashInput(input)
  }

  public reflash() {
    this.flash(this.flashMessages.all())
  }

  public reflashOnly(keys: string[]) {
    const messages = this.flashMessages.all()
    this.flash(
      Object.fromEntries(keys.filter((key) => key in messages).map((key) => [key, messages[key]]))
    )
  }

  public reflashExcept(keys: string[]) {
    const messages = { ...this.flashMessages.all() }
    for (const key of keys) delete messages[key]
    this.flash(messages)
  }

  /**
   * The flash messages set by this request, for the commit (null: none);
   * input that cannot be serialized (JSON nested thousands of levels deep) is
   * left out with a note instead of failing the request.
   */
  protected flashedForNext() {
    if (this.responseFlashMessages.isEmpty) {
      return null
    }
    const { input, ...others } = this.responseFlashMessages.all()
    let flashed = { ...input, ...others }
    try {
      JSON.stringify(flashed)
    } catch {
      flashed = this.shedInput(flashed, this.ctx)
    }
    return flashed
  }

  private flashInput(input: Record<string, any>) {
    this.ensureIsMutable()
    this.responseFlashMessages.set('input', input)
  }
}
