import { z } from 'zod';
import type { OnCallProvider } from '../app/on-call';
import { BotError } from '../errors';
import { Logger, silentLogger } from '../logger';
import { serviceBaseUrl } from './service-url';

// Who PagerDuty has on call for a deployment window, from one or more schedules, through the REST
// API v2: GET /oncalls?schedule_ids[]=…&since=…&until=…&include[]=users, with
// `Authorization: Token token=<PAGERDUTY_TOKEN>` and `Accept: application/vnd.pagerduty+json;version=2`.
// The person is the first escalation level's on-call at the window's start (the first schedule
// listed wins a tie), matched to a configured person by email. Anything else — a timeout, an
// error, nobody on call, someone the bot doesn't know — is thrown with a sentence for the on-call
// card, which then offers the override.

export interface PagerDutyOptions {
  /** Default https://api.pagerduty.com (EU service region: https://api.eu.pagerduty.com). */
  readonly baseUrl?: string;
  readonly token: string;
  readonly scheduleIds: readonly string[];
  /** Configured person id (Entra object id) for an email, case-insensitive. */
  readonly personByEmail: (email: string) => string | undefined;
  /** Whole lookup, every page; keep it well inside the 5 s Teams gives a dialog. */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

const MAX_PAGES = 5;
const PAGE = 100;

const onCalls = z.object({
  oncalls: z.array(
    z.object({
      user: z.object({ id: z.string(), summary: z.string().optional(), name: z.string().optional(), email: z.string().optional() }).nullable(),
      schedule: z.object({ id: z.string() }).nullable().optional(),
      escalation_level: z.number(),
      start: z.string().nullable().optional(),
      end: z.string().nullable().optional(),
    }),
  ),
  more: z.boolean().optional(),
});

type Entry = z.infer<typeof onCalls>['oncalls'][number];

export function createPagerDutyOnCall(options: PagerDutyOptions): OnCallProvider {
  const baseUrl = serviceBaseUrl('onCall.pagerduty.baseUrl', options.baseUrl ?? 'https://api.pagerduty.com');
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.timeoutMs ?? 2_500;
  const schedules = options.scheduleIds.join(', ');

  async function page(start: Date, end: Date, offset: number, signal: AbortSignal): Promise<z.infer<typeof onCalls>> {
    const query = new URLSearchParams();
    for (const id of options.scheduleIds) query.append('schedule_ids[]', id);
    query.set('since', start.toISOString());
    query.set('until', end.toISOString());
    query.append('include[]', 'users');
    query.set('limit', String(PAGE));
    query.set('offset', String(offset));
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/oncalls?${query}`, {
        headers: { authorization: `Token token=${options.token}`, accept: 'application/vnd.pagerduty+json;version=2' },
        signal,
      });
    } catch (error) {
      const timedOut = (error as { name?: string }).name === 'TimeoutError' || signal.aborted;
      throw new BotError('integration', timedOut ? `PagerDuty did not answer within ${(timeoutMs / 1000).toFixed(1)} s.` : `PagerDuty could not be reached (${(error as Error).message}).`, error);
    }
    const text = await response.text();
    if (!response.ok) throw failure(response.status, text, schedules);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new BotError('integration', 'PagerDuty answered with something that is not JSON.');
    }
    const parsed = onCalls.safeParse(body);
    if (!parsed.success) throw new BotError('integration', 'PagerDuty answered the on-call list in a shape the bot does not know.', parsed.error);
    return parsed.data;
  }

  return {
    async onCallAt(start, end = new Date(start.getTime() + 90 * 60_000)) {
      const signal = AbortSignal.timeout(timeoutMs);
      const entries: Entry[] = [];
      for (let i = 0, offset = 0; i < MAX_PAGES; i++) {
        const answer = await page(start, end, offset, signal);
        entries.push(...answer.oncalls);
        // The next page starts after what this one held, which may be fewer than asked for.
        offset += answer.oncalls.length;
        if (!answer.more || answer.oncalls.length === 0) break;
      }
      const chosen = pick(entries, start, options.scheduleIds);
      if (!chosen?.user) throw new BotError('integration', `PagerDuty has nobody on call for the window in schedule ${schedules}.`);
      const who = chosen.user.name ?? chosen.user.summary ?? chosen.user.id;
      if (!chosen.user.email) throw new BotError('integration', `PagerDuty did not give the email of ${who}, who is on call, so the bot can't tell who that is.`);
      const person = options.personByEmail(chosen.user.email);
      if (!person) {
        logger.warn({ pagerDutyUser: chosen.user.id }, 'PagerDuty on-call user is not a configured person');
        throw new BotError('integration', `PagerDuty has ${who} (${chosen.user.email}) on call, who is not among the bot's people: add them to the config, or override.`);
      }
      return person;
    },
  };
}

/** The first escalation level's entry covering `start` (else the first to begin in the window); ties go to the first schedule listed. */
function pick(entries: readonly Entry[], start: Date, scheduleIds: readonly string[]): Entry | undefined {
  const at = start.getTime();
  const covers = (e: Entry) => (!e.start || Date.parse(e.start) <= at) && (!e.end || Date.parse(e.end) > at);
  const rank = (e: Entry) => [e.escalation_level, scheduleIds.indexOf(e.schedule?.id ?? ''), e.start ? Date.parse(e.start) : -Infinity];
  const order = (a: Entry, b: Entry) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return 0;
  };
  return [...entries.filter(covers)].sort(order)[0] ?? [...entries].sort(order)[0];
}

function failure(status: number, text: string, schedules: string): BotError {
  let said = '';
  try {
    const error = (JSON.parse(text) as { error?: { message?: unknown; errors?: unknown } }).error;
    said = typeof error?.message === 'string' ? `: ${error.message}` : '';
  } catch {
    // not JSON: the status says enough
  }
  const message =
    status === 401
      ? `PagerDuty refused PAGERDUTY_TOKEN (401${said}).`
      : status === 403
        ? `PagerDuty does not let PAGERDUTY_TOKEN read schedule ${schedules} (403${said}).`
        : status === 404
          ? `PagerDuty does not know schedule ${schedules} (404${said}).`
          : status === 429
            ? `PagerDuty is rate-limiting the bot (429${said}).`
            : status >= 500
              ? `PagerDuty failed (${status}${said}).`
              : `PagerDuty refused the on-call request (${status}${said}).`;
  return new BotError('integration', message, undefined, status);
}
