import type { HttpContextContract } from '@ioc:Adonis/Core/HttpContext'
import type { SessionContract } from '@ioc:Adonis/Addons/Session'
import SessionStore from 'App/Services/SessionStore'
import Mask from './Mask'
import type { OldRecord, PendingRegeneration, StorageProbe } from './Storage'

export type RegenerationCheck = Pick<PendingRegeneration, 'from' | 'to'> & OldRecord

/**
 * The inspector's "Regenerate id": `session.regenerate()`, then, on the next
 * request, the old and new id prefixes and whether the old record is gone.
 */
export default class Regeneration {
  public static key = 'inspector.regenerated'

  /**
   * Gives the session a new id and remembers what the next request needs to
   * show the change. The old record is only destroyed when this request's
   * session is committed, so it cannot be checked before the next request.
   */
  public static regenerate(session: SessionContract) {
    const oldId = session.sessionId
    session.regenerate()

    const pending: PendingRegeneration = {
      from: Mask.prefix(oldId),
      to: Mask.prefix(session.sessionId),
    }
    if (SessionStore.driver !== 'cookie') {
      pending.id = oldId
    }
    session.put(this.key, pending)
  }

  /**
   * Takes the pending regeneration out of the session (so the whole old id is
   * never rendered with the session's values) and asks the driver's storage
   * probe about the old record.
   */
  public static async take(
    ctx: HttpContextContract,
    probe: StorageProbe<unknown>
  ): Promise<RegenerationCheck | null> {
    const pending: Partial<PendingRegeneration> | undefined = ctx.session.pull(this.key)
    if (typeof pending?.from !== 'string' || typeof pending.to !== 'string') {
      return null
    }

    const { from, to } = pending
    const old = await probe.oldRecord(ctx, { from, to, id: pending.id })
    return old && { from, to, ...old }
  }
}
