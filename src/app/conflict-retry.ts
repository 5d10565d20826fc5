/**
 * How a conditional write that lost to another writer (412, or 409 on a create) is tried again.
 *
 * Why it exists: several instances write the same release document at once — five leads approving
 * within a second, each command's outbox acknowledgements beside it. The repository used to re-run a
 * losing command at once, at most 6 times. The instances then collided again in lock-step, and the
 * slowest one (a busy or descheduled process takes longer between its read and its write) lost every
 * round while the others still had writes to make: six losses in a row and the approval was answered
 * "try again" — lost, as far as the person could tell (test/instances/many-instances.test.ts, 2 of
 * 3 full runs on a loaded machine; up to 4 losses in a row measured on a single command).
 *
 * Now a loser waits a random time (full jitter) under an exponentially growing ceiling before it
 * reads afresh, so the writers spread out instead of colliding again; and it keeps trying for about
 * 40 attempts or 8 s, whichever comes first — far more than a burst of commands on one document
 * lasts, and still inside the time Teams waits for an answer.
 */
export interface ConflictRetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Time from the first attempt after which no further attempt starts. */
  readonly budgetMs: number;
  /** Ceiling of the wait after the first loss; doubles per loss up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const CONFLICT_RETRY: ConflictRetryPolicy = { maxAttempts: 40, budgetMs: 8_000, baseDelayMs: 5, maxDelayMs: 250 };

/** Time and chance, injected so the policy is tested without waiting. */
export interface RetryEnvironment {
  /** Milliseconds, monotonic enough for a budget. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

export const REAL_TIME: RetryEnvironment = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** The wait after the `losses`-th lost write (1, 2, …): uniform in [0, min(max, base · 2^(losses−1))). */
export function conflictDelay(policy: ConflictRetryPolicy, losses: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(losses - 1, 30));
  return Math.floor(random() * ceiling);
}

/**
 * Counts losses of one mutation and decides whether to try again: `again()`, called after each loss, waits before the next
 * attempt and resolves true, or resolves false when the attempts or the time budget are used up
 * (a wait that would end past the budget is not started).
 */
export class ConflictRetry {
  private losses = 0;
  private readonly started: number;

  constructor(
    private readonly policy: ConflictRetryPolicy = CONFLICT_RETRY,
    private readonly env: RetryEnvironment = REAL_TIME,
  ) {
    this.started = env.now();
  }

  /** Writes lost so far (after a final loss: the attempts made). */
  get lost(): number {
    return this.losses;
  }

  async again(): Promise<boolean> {
    this.losses += 1;
    if (this.losses >= this.policy.maxAttempts) return false;
    const delay = conflictDelay(this.policy, this.losses, this.env.random);
    if (this.env.now() - this.started + delay > this.policy.budgetMs) return false;
    if (delay > 0) await this.env.sleep(delay);
    return true;
  }

  elapsedMs(): number {
    return this.env.now() - this.started;
  }
}
