/**
 * Simulated time for the drills: a clock that only moves when the scheduler runs the next event.
 * Nothing in the drills reads the wall clock; every emulated service and the controller read this.
 */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

interface Scheduled {
  readonly at: number;
  readonly seq: number;
  readonly label: string;
  readonly run: () => void | Promise<void>;
}

/** A discrete-event scheduler: events run in time order (ties in the order they were scheduled). */
export class SimClock {
  private current: number;
  private seq = 0;
  private queue: Scheduled[] = [];

  constructor(start: Date) {
    this.current = start.getTime();
  }

  /** The simulated instant. */
  now(): Date {
    return new Date(this.current);
  }

  get millis(): number {
    return this.current;
  }

  /** Runs `run` at `at` (ms since epoch); never in the past. */
  at(at: number, label: string, run: () => void | Promise<void>): void {
    const item: Scheduled = { at: Math.max(at, this.current), seq: this.seq++, label, run };
    // Binary insertion keeps the queue sorted by (at, seq).
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const q = this.queue[mid];
      if (q.at < item.at || (q.at === item.at && q.seq < item.seq)) lo = mid + 1; else hi = mid;
    }
    this.queue.splice(lo, 0, item);
  }

  after(delayMs: number, label: string, run: () => void | Promise<void>): void {
    this.at(this.current + delayMs, label, run);
  }

  /** Runs every event up to and including `until`, then leaves the clock at `until`. */
  async runUntil(until: number, stop?: () => boolean): Promise<void> {
    while (this.queue.length > 0 && this.queue[0].at <= until) {
      const next = this.queue.shift()!;
      this.current = next.at;
      await next.run();
      if (stop?.()) return;
    }
    this.current = Math.max(this.current, until);
  }
}
