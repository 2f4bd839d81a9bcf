import { setTimeout as delay } from 'node:timers/promises'
import type { SessionContract } from '@ioc:Adonis/Addons/Session'

export type RaceLane = 'slow' | 'quick'

/**
 * Who races: a visitor with a session (two tabs of theirs), or a new one
 * whose first two requests go out before either has a session.
 */
export type RaceVisitor = 'returning' | 'new'

/**
 * What the last race left in the session: for each lane, whether its write
 * of that race is there.
 */
export type RaceResult = { run: number; kept: Record<RaceLane, boolean> }

/**
 * The inspector's "race two requests": the page sends two requests at once,
 * each storing its own key (`race.slow`, `race.quick`) with the same run
 * number. The slow one reads the session, waits while the quick one
 * finishes, and only then changes it: a driver that wrote back the whole
 * session it read would lose the quick one's key.
 *
 * As a new visitor, the page first ends the session, so that both requests
 * arrive without one: each starts a session of its own (`newVisitorRace.slow`,
 * `newVisitorRace.quick`) and flashes a message, and the browser keeps the
 * cookie of the response that arrives last, the slow one's.
 */
export default class RaceDemo {
  public static keys: Record<RaceVisitor, string> = { returning: 'race', new: 'newVisitorRace' }
  public static lanes: RaceLane[] = ['slow', 'quick']

  /**
   * How long the slow request waits between reading the session and
   * changing it.
   */
  public static slowMs = 600

  public static async run(
    session: SessionContract,
    lane: RaceLane,
    run: number,
    visitor: RaceVisitor
  ) {
    if (lane === 'slow') {
      await delay(this.slowMs)
    }
    session.put(`${this.keys[visitor]}.${lane}`, run)
  }

  /**
   * The last race of that visitor, judged by its run number. Null before
   * any race.
   */
  public static result(session: SessionContract, visitor: RaceVisitor): RaceResult | null {
    const race = session.get(this.keys[visitor])
    if (!race || typeof race !== 'object') {
      return null
    }
    const runs = this.lanes.map((lane) => race[lane]).filter(Number.isInteger)
    if (!runs.length) {
      return null
    }
    const run = Math.max(...runs)
    return { run, kept: { slow: race.slow === run, quick: race.quick === run } }
  }
}
