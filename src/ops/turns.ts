import type { Request, Response } from 'restify';
import { Logger, clip } from '../logger';

// The turns being handled right now, so shutdown can finish them, and the one log line per turn.

export class InFlightTurns {
  private readonly running = new Set<Promise<unknown>>();
  private closing = false;

  get size(): number {
    return this.running.size;
  }

  /** After close() begins, new requests are answered 503 instead of starting a turn. */
  get accepting(): boolean {
    return !this.closing;
  }

  /** Runs a turn, counted until it settles. */
  track<T>(turn: Promise<T>): Promise<T> {
    this.running.add(turn);
    const forget = () => this.running.delete(turn);
    turn.then(forget, forget);
    return turn;
  }

  /** Stops accepting; resolves true once every turn finished, false if `timeoutMs` ran out first. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.closing = true;
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      const settled = Promise.allSettled([...this.running]);
      const timedOut = await Promise.race([settled.then(() => false), delay(left).then(() => true)]);
      if (timedOut) return this.running.size === 0;
    }
    return true;
  }
}

/**
 * The turn's log fields: ids only, never text or headers other than the correlation id. The
 * correlation id is Bot Framework's `x-ms-correlation-id` header when present (what its support
 * asks for), else the activity id. Everything here is request-supplied, so it is clipped.
 */
export function turnLogFields(req: Request, res: Response, durationMs: number): Record<string, unknown> {
  const activity = req.body && typeof req.body === 'object' ? (req.body as Record<string, any>) : {};
  const header = req.headers['x-ms-correlation-id'];
  const correlation = typeof header === 'string' && /^[\w.:/+=-]{1,128}$/.test(header) ? header : undefined;
  return {
    activityId: clip(activity.id),
    type: clip(activity.type),
    ...(activity.name ? { name: clip(activity.name) } : {}),
    conversationId: clip(activity.conversation?.id),
    correlationId: correlation ?? clip(activity.id),
    status: res.statusCode,
    durationMs: Math.round(durationMs),
  };
}

/** Logs the turn's line at a level that matches how it ended. */
export function logTurn(logger: Logger, fields: Record<string, unknown>): void {
  const status = Number(fields.status);
  if (status >= 500) logger.error(fields, 'turn');
  else if (status >= 400) logger.warn(fields, 'turn');
  else logger.info(fields, 'turn');
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
