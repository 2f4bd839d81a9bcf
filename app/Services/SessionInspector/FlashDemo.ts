import type { SessionContract } from '@ioc:Adonis/Addons/Session'

/**
 * One request of the flash demo: `set` flashes, `relay` reflashes (only in
 * the double-redirect demo), `shown` reads the message, `gone` no longer has it.
 */
export type FlashStep = {
  name: 'set' | 'relay' | 'shown' | 'gone'
  /** The route that answers this request. */
  route: string
  request: number
  current: boolean
}

/**
 * The inspector's request counter and its flash demo. The counter lives in
 * the session itself, so the demo can say on which request the message was
 * flashed, shown, and gone.
 */
export default class FlashDemo {
  public static keys = {
    requests: 'inspector.requests',
    demo: 'inspector.flashDemo',
  }

  /**
   * Counts an inspector request. Returns this request's number.
   */
  public static countRequest(session: SessionContract, { justLooking = false } = {}): number {
    const previous = session.get(this.keys.requests)
    const current = Number.isInteger(previous) ? previous + 1 : 1
    // A visitor without a session gets none just for looking at the
    // inspector (or for opening the relay of a demo they never started):
    // the count starts once something is stored (a language, a demo).
    if (!(justLooking && session.fresh)) {
      session.put(this.keys.requests, current)
    }
    return current
  }

  /**
   * Remembers on which request the demo flashed its message.
   */
  public static start(session: SessionContract, request: number, withReflash: boolean) {
    session.put(this.keys.demo, { setOn: request, withReflash })
  }

  /**
   * The requests of the last demo, numbered from the one that flashed, with
   * the visitor's current request marked. The last step stands for every
   * later request: once the visitor is past it, it carries the current
   * request's number, the one the page's header shows. Null before any demo.
   */
  public static timeline(session: SessionContract, current: number): FlashStep[] | null {
    const demo = session.get(this.keys.demo)
    if (!demo || !Number.isInteger(demo.setOn)) {
      return null
    }

    const steps: Pick<FlashStep, 'name' | 'route'>[] = demo.withReflash
      ? [
          { name: 'set', route: 'session.reflash' },
          { name: 'relay', route: 'session.relay' },
        ]
      : [{ name: 'set', route: 'session.flash' }]
    steps.push({ name: 'shown', route: 'session.show' }, { name: 'gone', route: 'session.show' })

    return steps.map((step, index) => {
      const request = demo.setOn + index
      if (index === steps.length - 1 && current >= request) {
        return { ...step, request: current, current: true }
      }
      return { ...step, request, current: current === request }
    })
  }
}
