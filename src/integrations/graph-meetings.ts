import type { TokenCredential } from '@azure/identity';
import { z } from 'zod';
import { BotError, isBotError } from '../errors';
import { Logger, silentLogger } from '../logger';
import { createGraphClient, GRAPH_DEFAULT_SCOPE, GraphClient } from './graph-client';
import { Meeting, MeetingRequest, MeetingScheduler, RECORDING_REMINDER, ValidMeetingRequest, validMeetingRequest } from './meeting-scheduler';
import { serviceBaseUrl } from './service-url';

// The deployment meeting through Microsoft Graph, app-only:
//  1. POST /users/{irc}/events with isOnlineMeeting + teamsForBusiness: a calendar event on the
//     IRC's calendar, so Exchange sends the invitations and Teams attaches a join link;
//  2. GET /users/{irc}/onlineMeetings?$filter=JoinWebUrl eq '{joinUrl}': the documented way from
//     an event's join link to its onlineMeeting (the event does not carry the meeting's id);
//  3. PATCH /users/{irc}/onlineMeetings/{id} { recordAutomatically: true }.
// Permissions (application, admin-consented): Calendars.ReadWrite for 1, and for 2–3
// OnlineMeetings.ReadWrite.All plus a Teams application access policy granted to the IRCs.
// If 2–3 fail the meeting still exists and invitations are out, so create does not throw: it
// answers recordingOn: false with the reason, and the IRC is reminded to turn recording on.

export interface GraphMeetingSchedulerOptions {
  /** Default https://graph.microsoft.com/v1.0. */
  readonly baseUrl?: string;
  /** App-only: ClientSecretCredential or ManagedIdentityCredential from @azure/identity. */
  readonly credential: TokenCredential;
  /** Default https://graph.microsoft.com/.default. */
  readonly scope?: string;
  readonly fetch?: typeof fetch;
  readonly logger?: Logger;
  /** Per HTTP call; default 30 s. */
  readonly timeoutMs?: number;
  /** Attempts for a call safe to repeat when Graph throttles or is unavailable; default 3. */
  readonly maxAttempts?: number;
  /** Cap on one wait between attempts; default 10 s. */
  readonly maxRetryDelayMs?: number;
  /** Wait before looking a just-created meeting up again when Graph does not list it yet; default 2 s. */
  readonly lookupDelayMs?: number;
}

const CALENDAR_FORBIDDEN =
  "The bot's app registration needs the Microsoft Graph application permission Calendars.ReadWrite with admin consent " +
  "(and, if Exchange application access is scoped, the IRC's mailbox in scope).";
const ONLINE_MEETINGS_FORBIDDEN =
  "The bot's app registration needs the Microsoft Graph application permission OnlineMeetings.ReadWrite.All with admin consent " +
  'and a Teams application access policy granted to the IRC (New-CsApplicationAccessPolicy, Grant-CsApplicationAccessPolicy).';

// Immutable ids survive the event moving between folders; times come back in UTC.
const EVENT_HEADERS = { prefer: 'outlook.timezone="UTC", IdType="ImmutableId"' };

const eventAnswer = z.object({
  id: z.string().min(1),
  isOnlineMeeting: z.boolean().nullish(),
  onlineMeeting: z.object({ joinUrl: z.string().url().nullish() }).nullish(),
});
const onlineMeetingAnswer = z.object({
  id: z.string().min(1),
  joinWebUrl: z.string().nullish(),
  recordAutomatically: z.boolean().nullish(),
});
const onlineMeetingList = z.object({ value: z.array(onlineMeetingAnswer) });

const GRAPH_ID_PREFIX = 'graph:';
const LOOKUP_ATTEMPTS = 3;

export function createGraphMeetingScheduler(options: GraphMeetingSchedulerOptions): MeetingScheduler {
  const baseUrl = serviceBaseUrl('The Graph base URL', options.baseUrl ?? 'https://graph.microsoft.com/v1.0');
  const logger = options.logger ?? silentLogger;
  const lookupDelayMs = options.lookupDelayMs ?? 2000;
  const graph: GraphClient = createGraphClient({
    baseUrl,
    credential: options.credential,
    scope: options.scope ?? GRAPH_DEFAULT_SCOPE,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxAttempts: options.maxAttempts ?? 3,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
  });

  async function create(request: MeetingRequest): Promise<Meeting> {
    const valid = validMeetingRequest(request);
    const organizer = valid.organizer.aadObjectId;
    const event = await graph.send({
      method: 'POST',
      path: `/users/${segment(organizer)}/events`,
      headers: EVENT_HEADERS,
      body: {
        ...eventFields(valid),
        isOnlineMeeting: true,
        onlineMeetingProvider: 'teamsForBusiness',
        allowNewTimeProposals: false,
        ...(valid.idempotencyKey ? { transactionId: valid.idempotencyKey } : {}),
      },
      schema: eventAnswer,
      what: `create the meeting "${valid.subject}" on ${valid.organizer.email}'s calendar`,
      // With a transactionId Graph answers a repeated create with the same event.
      idempotent: valid.idempotencyKey !== undefined,
      whenForbidden: CALENDAR_FORBIDDEN,
    });
    return meetingFor(valid, organizer, event);
  }

  async function update(id: string, request: MeetingRequest): Promise<Meeting> {
    const ref = parseGraphId(id);
    // The bot made no meeting for this id (it was a scheduling link): make one now.
    if (!ref) return create(request);
    const valid = validMeetingRequest(request);
    // An event stays on the calendar it was made on: the organizer comes from the id, not the request.
    const event = await graph.send({
      method: 'PATCH',
      path: eventPath(ref),
      headers: EVENT_HEADERS,
      body: eventFields(valid),
      schema: eventAnswer,
      what: `move the meeting "${valid.subject}" to ${valid.start.toISOString()}–${valid.end.toISOString()}`,
      idempotent: true,
      whenForbidden: CALENDAR_FORBIDDEN,
    });
    return meetingFor(valid, ref.organizer, event);
  }

  async function cancel(id: string, reason?: string): Promise<void> {
    const ref = parseGraphId(id);
    if (!ref) return; // a scheduling link: the bot created nothing to cancel
    await graph.send({
      method: 'POST',
      path: `${eventPath(ref)}/cancel`,
      headers: EVENT_HEADERS,
      body: { comment: reason?.trim() || 'This deployment was cancelled.' },
      what: 'cancel the deployment meeting',
      idempotent: false,
      whenForbidden: CALENDAR_FORBIDDEN,
    });
  }

  async function meetingFor(valid: ValidMeetingRequest, organizer: string, event: z.infer<typeof eventAnswer>): Promise<Meeting> {
    let joinUrl = event.onlineMeeting?.joinUrl ?? undefined;
    if (!joinUrl) {
      // Graph may attach the Teams link a moment after answering; read the event once more.
      const again = await graph.send({
        method: 'GET',
        path: eventPath({ organizer, eventId: event.id }),
        query: `$select=${encodeURIComponent('id,isOnlineMeeting,onlineMeeting')}`,
        headers: EVENT_HEADERS,
        schema: eventAnswer,
        what: `read the meeting "${valid.subject}"`,
        idempotent: true,
        whenForbidden: CALENDAR_FORBIDDEN,
      });
      joinUrl = again.onlineMeeting?.joinUrl ?? undefined;
    }
    const id = `${GRAPH_ID_PREFIX}${organizer}:${event.id}`;
    if (!joinUrl) {
      throw new BotError(
        'integration',
        `Microsoft Graph put "${valid.subject}" on ${valid.organizer.email}'s calendar without a Teams join link ` +
          `(meeting id ${id}); check that Teams is an allowed online meeting provider for that mailbox.`,
      );
    }
    const recording = await turnRecordingOn(organizer, joinUrl, valid);
    return { id, joinUrl, kind: 'teams-meeting', recordingOn: recording.on, ...(recording.issue ? { recordingIssue: recording.issue } : {}) };
  }

  async function turnRecordingOn(organizer: string, joinUrl: string, valid: ValidMeetingRequest): Promise<{ on: boolean; issue?: string }> {
    try {
      let meeting: z.infer<typeof onlineMeetingAnswer> | undefined;
      for (let attempt = 1; attempt <= LOOKUP_ATTEMPTS && !meeting; attempt += 1) {
        if (attempt > 1) await sleep(lookupDelayMs);
        const found = await graph.send({
          method: 'GET',
          path: `/users/${segment(organizer)}/onlineMeetings`,
          query: `$filter=${encodeURIComponent(`JoinWebUrl eq '${joinUrl.replace(/'/g, "''")}'`)}`,
          schema: onlineMeetingList,
          what: `find the Teams meeting behind "${valid.subject}"`,
          idempotent: true,
          whenForbidden: ONLINE_MEETINGS_FORBIDDEN,
        });
        meeting = found.value.find((m) => m.joinWebUrl === joinUrl) ?? found.value[0];
      }
      if (!meeting) {
        return notRecording(`Microsoft Graph lists no Teams meeting for the join link of "${valid.subject}" yet.`);
      }
      if (meeting.recordAutomatically === true) return { on: true };
      const updated = await graph.send({
        method: 'PATCH',
        path: `/users/${segment(organizer)}/onlineMeetings/${segment(meeting.id)}`,
        body: { recordAutomatically: true },
        schema: onlineMeetingAnswer,
        what: `turn recording on for "${valid.subject}"`,
        idempotent: true,
        whenForbidden: ONLINE_MEETINGS_FORBIDDEN,
      });
      if (updated.recordAutomatically === false) {
        return notRecording(`Microsoft Graph kept recording off for "${valid.subject}" (a Teams meeting policy may forbid it).`);
      }
      return { on: true };
    } catch (error) {
      if (isBotError(error, 'integration') || isBotError(error, 'not-found')) return notRecording(error.message);
      throw error;
    }
  }

  function notRecording(issue: string): { on: false; issue: string } {
    logger.warn({ issue }, `the deployment meeting exists but recording is off; the IRC is reminded: ${RECORDING_REMINDER}`);
    return { on: false, issue };
  }

  return { create, update, cancel };
}

interface EventRef {
  readonly organizer: string;
  readonly eventId: string;
}

function parseGraphId(id: string): EventRef | undefined {
  if (!id.startsWith(GRAPH_ID_PREFIX)) return undefined;
  const rest = id.slice(GRAPH_ID_PREFIX.length);
  const colon = rest.indexOf(':'); // object ids are GUIDs, so the first colon ends it
  if (colon <= 0 || colon === rest.length - 1) throw new BotError('invalid', `"${id}" is not a meeting id this bot made`);
  return { organizer: rest.slice(0, colon), eventId: rest.slice(colon + 1) };
}

function eventPath(ref: EventRef): string {
  return `/users/${segment(ref.organizer)}/events/${segment(ref.eventId)}`;
}

/** Subject, window, attendees and body: what create and update both send. */
function eventFields(valid: ValidMeetingRequest): Record<string, unknown> {
  return {
    subject: valid.subject,
    ...(valid.details !== undefined ? { body: { contentType: 'text', content: valid.details } } : {}),
    start: graphDateTime(valid.start),
    end: graphDateTime(valid.end),
    attendees: valid.attendees.map((a) => ({ emailAddress: { address: a.email, name: a.name }, type: 'required' })),
  };
}

/** Graph's dateTimeTimeZone: local date-time without offset, plus the zone it is in. */
function graphDateTime(date: Date): { dateTime: string; timeZone: 'UTC' } {
  return { dateTime: date.toISOString().slice(0, 19), timeZone: 'UTC' };
}

/** Graph ids may hold "/", "+" and "=": always encode them into the path. */
function segment(value: string): string {
  return encodeURIComponent(value);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
