import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

// The load generator: keep-alive HTTP POSTs to a bot, driven by a fixed number of workers that
// each send their next request as soon as the previous one is answered (a closed loop).

export interface PostResult {
  readonly status: number;
  readonly body: string;
}

export class Poster {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    maxSockets: number,
    private readonly timeoutMs = 30_000,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  post(path: string, body: string): Promise<PostResult> {
    return new Promise<PostResult>((resolve, reject) => {
      const req = request(
        `${this.baseUrl}${path}`,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer from ${this.baseUrl}${path} within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** One round of units: `units` of them, `concurrency` workers each starting its next unit when its last is done. */
export interface RoundResult<U> {
  readonly outcomes: U[];
  readonly failed: number;
  /** The first failure's message (the later ones often follow from it). */
  readonly firstFailure?: string;
  readonly startedAt: number;
  readonly doneAt: number;
}

export async function unitLoop<U extends { readonly doneAt: number }>(options: {
  readonly units: number;
  readonly concurrency: number;
  readonly deadlineMs: number;
  readonly unit: (worker: number) => Promise<U>;
}): Promise<RoundResult<U>> {
  const startedAt = performance.now();
  const deadline = startedAt + options.deadlineMs;
  const outcomes: U[] = [];
  let next = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const worker = async (id: number) => {
    while (next < options.units && performance.now() < deadline) {
      next += 1;
      try {
        outcomes.push(await options.unit(id));
      } catch (error) {
        failed += 1;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.units) }, (_, id) => worker(id)));
  const doneAt = Math.max(startedAt, ...outcomes.map((o) => o.doneAt));
  return { outcomes, failed, firstFailure, startedAt, doneAt };
}

export interface LoopResult {
  readonly sent: number;
  readonly failed: number;
  readonly firstFailure?: string;
  readonly startedAt: number;
  /** performance.now() when the last answer came back. */
  readonly answeredAt: number;
  /** Time from sending each request to its HTTP answer, ms, sorted. */
  readonly answerMs: number[];
}

/**
 * Runs `total` tasks with `concurrency` workers; stops early (counting the rest as not sent) when
 * `deadlineMs` has passed. A task resolves when its request was answered.
 */
export async function closedLoop(options: {
  readonly total: number;
  readonly concurrency: number;
  readonly deadlineMs: number;
  readonly task: (index: number) => Promise<void>;
}): Promise<LoopResult> {
  const startedAt = performance.now();
  const deadline = startedAt + options.deadlineMs;
  const answerMs: number[] = [];
  let next = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const worker = async () => {
    while (next < options.total && performance.now() < deadline) {
      const index = next;
      next += 1;
      const sentAt = performance.now();
      try {
        await options.task(index);
        answerMs.push(performance.now() - sentAt);
      } catch (error) {
        failed += 1;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.total) }, worker));
  answerMs.sort((a, b) => a - b);
  return { sent: next, failed, firstFailure, startedAt, answeredAt: performance.now(), answerMs };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
