import { z } from 'zod';
import { BotError } from '../errors';

// The deployment meeting (runbook 3.1): "Deploy 2026.4.0 to BXCI Production" on the IRC's calendar,
// with the engineer and validators invited and recording on. Two implementations: Microsoft Graph
// (graph-meetings.ts) and, without Graph credentials, a prefilled Teams link (link-meetings.ts).

export interface MeetingPerson {
  readonly email: string;
  readonly name: string;
}

export interface MeetingRequest {
  /** "Deploy 2026.4.0 to BXCI Production" */
  readonly subject: string;
  readonly start: Date;
  readonly end: Date;
  /** The IRC: the meeting goes on this calendar. Graph addresses the mailbox by Entra object id. */
  readonly organizer: { readonly email: string; readonly aadObjectId: string };
  /** Invited as required attendees; the organizer and repeated addresses are left out. */
  readonly attendees: readonly MeetingPerson[];
  /** Plain text for the invitation body. */
  readonly details?: string;
  /**
   * Makes create safe to repeat: Graph keeps one event per key (its event transactionId), so a
   * create retried after a lost answer does not invite everyone twice. Pass the deployment id.
   */
  readonly idempotencyKey?: string;
}

export interface Meeting {
  /** Opaque; pass it back to update and cancel. */
  readonly id: string;
  /** The Teams join link, or for a scheduling link the link that opens Teams' new-meeting form. */
  readonly joinUrl: string;
  readonly recordingOn: boolean;
  /** 'teams-meeting': it exists and people are invited. 'scheduling-link': someone must still create it in Teams. */
  readonly kind: 'teams-meeting' | 'scheduling-link';
  /** Why recording is off although the bot tried to turn it on, for the log and the IRC's reminder. */
  readonly recordingIssue?: string;
}

export interface MeetingScheduler {
  create(request: MeetingRequest): Promise<Meeting>;
  /** New subject, window or attendees for the meeting `id`; resolves with the meeting as it now is. */
  update(id: string, request: MeetingRequest): Promise<Meeting>;
  /** Cancels the meeting and tells the attendees why. */
  cancel(id: string, reason?: string): Promise<void>;
}

/** What the IRC does by hand when the bot could not turn recording on. */
export const RECORDING_REMINDER = 'Turn recording on in Teams: Meeting options → Record automatically.';

const person = z.object({ email: z.string().trim().email(), name: z.string().trim() });
const requestSchema = z
  .object({
    subject: z.string().trim().min(1, 'a meeting needs a subject'),
    start: z.date().refine((d) => !Number.isNaN(d.getTime()), 'start is not a valid time'),
    end: z.date().refine((d) => !Number.isNaN(d.getTime()), 'end is not a valid time'),
    organizer: z.object({
      email: z.string().trim().email(),
      aadObjectId: z
        .string()
        .trim()
        .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be an Entra object id (a GUID)'),
    }),
    attendees: z.array(person),
    details: z.string().optional(),
    idempotencyKey: z.string().trim().min(1).max(200).optional(),
  })
  .refine((r) => r.end.getTime() > r.start.getTime(), { message: 'the meeting must end after it starts', path: ['end'] });

export type ValidMeetingRequest = z.infer<typeof requestSchema>;

/** The request checked, with the organizer and repeated addresses removed from the attendees. */
export function validMeetingRequest(request: MeetingRequest): ValidMeetingRequest {
  const parsed = requestSchema.safeParse(request);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; ');
    throw new BotError('invalid', `Can't schedule "${request.subject}": ${issues}`, parsed.error);
  }
  const seen = new Set([parsed.data.organizer.email.toLowerCase()]);
  const attendees = parsed.data.attendees.filter((a) => {
    const key = a.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ...parsed.data, attendees };
}

/** "2026-04-14T22:00:00Z" without milliseconds. */
export function utcInstant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
