// The one error type. Rules that say "no" are Refusal values in the domain, not errors; this is for
// things that went wrong: storage conflicts, unreachable services, bad config at start.

export type BotErrorCode =
  | 'conflict' // a document with that id already exists (HTTP 409)
  | 'stale' // the conditional write lost to a newer version (HTTP 412)
  | 'busy' // the store asked us to slow down or was unavailable after retries (429/503)
  | 'not-found'
  | 'delivery' // the Bot Connector refused or failed a post
  | 'integration' // Microsoft Graph or GitHub refused or failed a call (meetings, bug issues)
  | 'invalid';

export class BotError extends Error {
  constructor(
    readonly code: BotErrorCode,
    message: string,
    override readonly cause?: unknown,
    /** The HTTP status an outside service answered, when there was one; the outbox drops a message refused with a 4xx. */
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'BotError';
  }
}

export function isBotError(error: unknown, code?: BotErrorCode): error is BotError {
  return error instanceof BotError && (code === undefined || error.code === code);
}
