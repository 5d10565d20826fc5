import { createLinkMeetingScheduler, RECORDING_REMINDER } from '../../src/integrations/meetings';
import { bosko, deployMeeting, jake, luis, rejectionOf, steven } from './fixtures';

// Without Graph: Teams' documented new-meeting deep link, filled in, and no network at all.

describe('scheduling-link meetings', () => {
  const scheduler = createLinkMeetingScheduler();
  let fetchSpy: jest.SpyInstance;

  beforeEach(() => {
    fetchSpy = jest.spyOn(globalThis, 'fetch');
  });

  afterEach(() => {
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  it('prefills subject, attendees, window and details, with recording left to the IRC', async () => {
    const meeting = await scheduler.create(deployMeeting({ details: 'Runbook: https://wiki.lendos.example/release-execution' }));

    expect(meeting).toMatchObject({ kind: 'scheduling-link', recordingOn: false });
    expect(meeting.id).toMatch(/^link:[A-Za-z0-9_-]{22}$/);
    const url = new URL(meeting.joinUrl);
    expect(`${url.origin}${url.pathname}`).toBe('https://teams.microsoft.com/l/meeting/new');
    expect([...url.searchParams.keys()]).toEqual(['subject', 'attendees', 'startTime', 'endTime', 'content']);
    expect(url.searchParams.get('subject')).toBe('Deploy 2026.4.0 to BXCI Production');
    // Whoever opens the link organizes the meeting, so the IRC is not an attendee.
    expect(url.searchParams.get('attendees')!.split(',')).toEqual([jake.email, luis.email, bosko.email]);
    expect(url.searchParams.get('startTime')).toBe('2026-04-14T22:00:00+00:00');
    expect(url.searchParams.get('endTime')).toBe('2026-04-14T23:30:00+00:00');
    expect(new Date(url.searchParams.get('startTime')!).toISOString()).toBe('2026-04-14T22:00:00.000Z');
    expect(url.searchParams.get('content')).toBe(`Runbook: https://wiki.lendos.example/release-execution\n\n${RECORDING_REMINDER}`);
    expect(RECORDING_REMINDER).toContain('Meeting options → Record automatically');
  });

  it('encodes spaces as %20, never "+", and keeps addresses and the comma list as documented', async () => {
    const { joinUrl } = await scheduler.create(deployMeeting());
    expect(joinUrl).toContain('?subject=Deploy%202026.4.0%20to%20BXCI%20Production&');
    expect(joinUrl).toContain(`&attendees=${jake.email},${luis.email},${bosko.email}&`);
    expect(joinUrl).toContain('&startTime=2026-04-14T22%3A00%3A00%2B00%3A00&');
    expect(joinUrl).not.toMatch(/\+/);
  });

  it('round-trips a subject with &, # and +', async () => {
    const { joinUrl } = await scheduler.create(deployMeeting({ subject: 'Deploy 2026.4.1 to R&D #2 + Sandbox' }));
    expect(new URL(joinUrl).searchParams.get('subject')).toBe('Deploy 2026.4.1 to R&D #2 + Sandbox');
  });

  it('answers an update with a fresh link for the new window', async () => {
    const first = await scheduler.create(deployMeeting());
    const moved = await scheduler.update(first.id, deployMeeting({ start: new Date('2026-04-15T22:00:00Z'), end: new Date('2026-04-15T23:30:00Z') }));
    expect(moved.id).not.toBe(first.id);
    expect(new URL(moved.joinUrl).searchParams.get('startTime')).toBe('2026-04-15T22:00:00+00:00');
  });

  it('cancels its own link as a no-op, and says a Graph meeting must be cancelled in Teams', async () => {
    const { id } = await scheduler.create(deployMeeting());
    await expect(scheduler.cancel(id)).resolves.toBeUndefined();
    const error = await rejectionOf(scheduler.cancel(`graph:${steven.aadObjectId}:AAMk=`));
    expect(error).toMatchObject({ code: 'invalid' });
    expect(error.message).toContain('cancel it in Teams or Outlook');
  });

  it('refuses a window that ends before it starts', async () => {
    const error = await rejectionOf(scheduler.create(deployMeeting({ start: new Date('2026-04-15T00:00:00Z') })));
    expect(error).toMatchObject({ code: 'invalid' });
  });
});
