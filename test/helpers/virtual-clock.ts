import { PacingClock } from '../../src/teams/send-pacer';

/**
 * A clock that moves only when the test says so: sleepers wake when it is advanced past their time,
 * so a test can play seconds of rate-limited traffic in a few milliseconds, and the same every run.
 */
export class VirtualClock implements PacingClock {
  private t = 0;
  private sleepers: Array<{ readonly at: number; readonly resolve: () => void }> = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (ms <= 0) resolve();
      else this.sleepers.push({ at: this.t + ms, resolve });
    });
  }

  /** When the earliest sleeper wakes (undefined: nobody sleeps). */
  get nextWake(): number | undefined {
    return this.sleepers.length ? Math.min(...this.sleepers.map((s) => s.at)) : undefined;
  }

  get sleeping(): number {
    return this.sleepers.length;
  }

  /** Moves to `at` (never back) and wakes everyone due by then. */
  advanceTo(at: number): void {
    this.t = Math.max(this.t, at);
    const due = this.sleepers.filter((s) => s.at <= this.t);
    this.sleepers = this.sleepers.filter((s) => s.at > this.t);
    for (const sleeper of due) sleeper.resolve();
  }
}
