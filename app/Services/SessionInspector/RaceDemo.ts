import { setTimeout as delay } from 'node:timers/promises'
import type { SessionContract } from '@ioc:Adonis/Addons/Session'

export type RaceLane = 'slow' | 'quick'

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
 */
export default class RaceDemo {
  public static key = 'race'
  public static lanes: RaceLane[] = ['slow', 'quick']

  /**
   * How long the slow request waits between reading the session and
   * changing it.
   */
  public static slowMs = 600

  public static async run(session: SessionContract, lane: RaceLane, run: number) {
    if (lane === 'slow') {
      await delay(this.slowMs)
    }
    session.put(`${this.key}.${lane}`, run)
  }

  /**
   * The last race, judged by its run number. Null before any race.
   */
  public static result(session: SessionContract): RaceResult | null {
    const race = session.get(this.key)
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
