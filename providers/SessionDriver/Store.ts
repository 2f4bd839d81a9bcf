import { lodash } from '@poppinss/utils'
import type { StoreContract } from '@ioc:Adonis/Addons/Session'

/**
 * Values addressed by lodash paths (`cart.items`), as @adonisjs/session's own
 * store: what `session.get` reads and `flashMessages` is in the views.
 */
export class Store implements StoreContract {
  constructor(private values: Record<string, any> = {}) {}

  public get isEmpty() {
    return Object.keys(this.values).length === 0
  }

  public get(key: string, defaultValue?: any) {
    return lodash.get(this.values, key, defaultValue)
  }

  /**
   * Whether the value is set and truthy; an empty array counts as unset.
   */
  public has(key: string, checkForArraysLength = true) {
    const value = this.get(key)
    return Array.isArray(value) && checkForArraysLength ? value.length > 0 : !!value
  }

  public all() {
    return this.values
  }

  public set(key: string, value: any) {
    lodash.set(this.values, key, value)
  }

  public unset(key: string) {
    lodash.unset(this.values, key)
  }

  public pull(key: string, defaultValue?: any) {
    const value = this.get(key, defaultValue)
    this.unset(key)
    return value
  }

  public increment(key: string, steps = 1) {
    this.set(key, this.numberAt(key) + steps)
  }

  public decrement(key: string, steps = 1) {
    this.set(key, this.numberAt(key) - steps)
  }

  public update(values: Record<string, any>) {
    this.values = values
  }

  public merge(values: Record<string, any>) {
    lodash.merge(this.values, values)
  }

  public clear() {
    this.values = {}
  }

  public toObject() {
    return this.values
  }

  public toJSON() {
    return this.values
  }

  private numberAt(key: string): number {
    const value = this.get(key, 0)
    if (typeof value !== 'number') {
      throw new Error(`Cannot increment or decrement "${key}": its value is not a number`)
    }
    return value
  }
}
