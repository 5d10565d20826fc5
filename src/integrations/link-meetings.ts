import { createHash } from 'node:crypto';
import { BotError } from '../errors';
import { Meeting, MeetingRequest, MeetingScheduler, RECORDING_REMINDER, utcInstant, validMeetingRequest } from './meeting-scheduler';

// Without Graph credentials the bot cannot create the meeting, but it can hand the IRC Teams'
// new-meeting form already filled in (the documented scheduling deep link):
//   https://teams.microsoft.com/l/meeting/new?subject=…&attendees=a@x,b@y&startTime=…&endTime=…&content=…
// Whoever opens it becomes the organizer. Teams reads %20, not "+", as a space, so values are
// encoded with encodeURIComponent; times carry their UTC offset, as the link requires.
// No network: recording stays off and the caller shows RECORDING_REMINDER.

const NEW_MEETING_URL = 'https://teams.microsoft.com/l/meeting/new';
const LINK_ID_PREFIX = 'link:';

export function createLinkMeetingScheduler(): MeetingScheduler {
  async function create(request: MeetingRequest): Promise<Meeting> {
    const joinUrl = schedulingLink(request);
    const id = `${LINK_ID_PREFIX}${createHash('sha256').update(joinUrl).digest('base64url').slice(0, 22)}`;
    return { id, joinUrl, recordingOn: false, kind: 'scheduling-link', recordingIssue: 'Microsoft Graph is not configured.' };
  }

  return {
    create,
    // The meeting made from the old link is the IRC's own; a fresh link carries the new details.
    update: (_id, request) => create(request),
    async cancel(id) {
      if (!id.startsWith(LINK_ID_PREFIX)) {
        throw new BotError(
          'invalid',
          'This deployment meeting was created through Microsoft Graph, which is not configured now: cancel it in Teams or Outlook.',
        );
      }
    },
  };
}

function schedulingLink(request: MeetingRequest): string {
  const valid = validMeetingRequest(request);
  const content = [valid.details?.trim(), RECORDING_REMINDER].filter(Boolean).join('\n\n');
  const params: Array<[string, string]> = [
    ['subject', encodeValue(valid.subject)],
    ['attendees', valid.attendees.map((a) => encodeValue(a.email)).join(',')],
    ['startTime', encodeValue(withUtcOffset(valid.start))],
    ['endTime', encodeValue(withUtcOffset(valid.end))],
    ['content', encodeValue(content)],
  ];
  return `${NEW_MEETING_URL}?${params
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join('&')}`;
}

/** "2026-04-14T22:00:00+00:00": the long ISO 8601 form with an explicit offset. */
function withUtcOffset(date: Date): string {
  return utcInstant(date).replace(/Z$/, '+00:00');
}

/** encodeURIComponent, keeping "@" readable in addresses as the documented examples do. */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%40/g, '@');
}
