import { Harness, cardText, exampleConfig, people, startHarness } from '../helpers/bot-harness';
import { LoopbackGraph, loopbackMeetingScheduler, startLoopbackGraph } from '../helpers/loopback-graph';
import { textOf } from '../teams/teams-view';
import { findById, links, notice, promoteRelease, refusalsIn, scheduleText, textsIn, tracker } from './deployment-view';

// Runbook 3.1's meeting. With Graph configured, the bot creates "Deploy <release> to <environment>"
// on the IRC's calendar (a loopback Graph behind a loopback Entra authority checks every call),
// invites the engineer and validators, turns recording on, shows the join link on the tracker, and
// moves or cancels the meeting with the deployment. Without Graph, the tracker offers a prefilled
// "Create the meeting" link and reminds the IRC to turn recording on.

const config = exampleConfig();
const mailboxes = config.people.map((p) => ({ aadObjectId: p.aadObjectId, email: p.email!, name: p.name }));
const emailOf = (person: { key: string }) => config.people.find((p) => p.key === person.key)!.email!;

describe('the deployment meeting through Microsoft Graph', () => {
  let h: Harness;
  let graph: LoopbackGraph;
  let clock = new Date('2026-04-13T12:00:00Z'); // Mon 13 Apr 2026, 08:00 EDT

  beforeAll(async () => {
    graph = await startLoopbackGraph({ mailboxes });
    h = await startHarness({ now: () => clock, meetings: loopbackMeetingScheduler(graph) });
  });
  afterAll(async () => {
    await h.close();
    await graph.close();
  });
  afterEach(() => {
    expect(graph.malformed).toEqual([]);
    expect(h.connector.malformed).toEqual([]);
  });

  const eventsWith = (subject: string) => [...graph.events.values()].filter((e) => e.subject === subject);

  test('scheduling creates the meeting with IRC, engineer and validators and recording on; the tracker and the ready post link it', async () => {
    const thread = await promoteRelease(h, '2026.4.0');
    const inThread = { conversationId: thread.conversationId };
    const before = graph.requests.length;
    const scheduled = await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Production', '2026-04-14 22:00'), inThread);
    expect(refusalsIn(scheduled.calls)).toEqual([]);

    const [event, ...others] = eventsWith('Deploy 2026.4.0 to BXCI Production');
    expect(others).toEqual([]);
    // On the IRC's calendar, the engineer and validators invited, the window in UTC.
    expect(event!.organizerId).toBe(people.steven.aadObjectId);
    expect(event!.attendees.map((a) => a.emailAddress.address)).toEqual([emailOf(people.jake), emailOf(people.luis), emailOf(people.bosko)]);
    expect(event!.start).toEqual({ dateTime: '2026-04-15T02:00:00', timeZone: 'UTC' });
    expect(event!.end).toEqual({ dateTime: '2026-04-15T03:30:00', timeZone: 'UTC' });
    expect(event!.isCancelled).toBe(false);
    const meeting = [...graph.onlineMeetings.values()].find((m) => m.joinWebUrl === event!.joinUrl)!;
    expect(meeting.recordAutomatically).toBe(true);
    expect(graph.requests.slice(before).map((r) => `${r.method} ${r.path.replace(event!.id, '{event}').replace(meeting.id, '{meeting}')} ${r.status}`)).toEqual([
      `POST /users/${people.steven.aadObjectId}/events 201`,
      `GET /users/${people.steven.aadObjectId}/onlineMeetings 200`,
      `PATCH /users/${people.steven.aadObjectId}/onlineMeetings/{meeting} 200`,
    ]);

    // The tracker shows the join link, and no "create it yourself" reminder.
    const card = tracker(h, '2026.4.0', 'BXCI Production');
    expect(links(card)).toEqual({ 'Join the meeting': event!.joinUrl });
    expect(cardText(card)).not.toContain('turn on recording');

    // On ready, the validators are pulled into that meeting.
    await h.say(people.steven, 'confirm on-call', inThread);
    clock = new Date('2026-04-15T02:00:00Z');
    await h.say(people.steven, 'start', inThread);
    const ready = await h.say(people.jake, 'ready', inThread);
    const [readyText] = textsIn(ready.calls, thread.conversationId);
    expect(readyText).toBe(
      '🟢 Deploy 2026.4.0 to BXCI Production is ready. <at>Luis Garcia</at>, <at>Bosko Kocev</at>: ' +
        `Please join the deployment meeting to smoke-test BXCI Production once it is confirmed stable: [Join the meeting](${event!.joinUrl})`,
    );
    expect(eventsWith('Deploy 2026.4.0 to BXCI Production')).toHaveLength(1); // never created twice
  });

  test('reschedule moves the meeting, cancel cancels it', async () => {
    clock = new Date('2026-04-13T12:00:00Z');
    const thread = await promoteRelease(h, '2026.4.2');
    const inThread = { conversationId: thread.conversationId };
    await h.say(people.steven, scheduleText('2026.4.2', 'BXCI Staging', '2026-04-14 20:00', { minutes: 60 }), inThread);
    const [event] = eventsWith('Deploy 2026.4.2 to BXCI Staging');
    expect(event!.start.dateTime).toBe('2026-04-15T00:00:00');

    const moved = await h.say(people.steven, 'reschedule at 2026-04-15 21:30', inThread);
    expect(refusalsIn(moved.calls)).toEqual([]);
    expect(eventsWith('Deploy 2026.4.2 to BXCI Staging')).toHaveLength(1);
    expect(event!.start).toEqual({ dateTime: '2026-04-16T01:30:00', timeZone: 'UTC' });
    expect(event!.end).toEqual({ dateTime: '2026-04-16T02:30:00', timeZone: 'UTC' });
    const patch = graph.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/events/${event!.id}`));
    expect(patch.map((r) => r.status)).toEqual([200]);
    // The tracker keeps the same join link.
    expect(links(tracker(h, '2026.4.2', 'BXCI Staging'))).toEqual({ 'Join the meeting': event!.joinUrl });
    expect(textOf(tracker(h, '2026.4.2', 'BXCI Staging'), 'window')).toBe('Wed 15 Apr 2026, 21:30–22:30 EDT (Thu 16 Apr 01:30–02:30 UTC)');

    const cancelled = await h.say(people.steven, 'cancel deploy 2026.4.2 to "BXCI Staging" month-end close moved', inThread);
    expect(refusalsIn(cancelled.calls)).toEqual([]);
    expect(event!.isCancelled).toBe(true);
    expect(event!.cancelComment).toBe('month-end close moved');
    expect(textOf(notice(h, '2026.4.2', 'BXCI Staging'), 'cancelled-title')).toBe('🚫 Cancelled');
    expect(findById(tracker(h, '2026.4.2', 'BXCI Staging'), 'meeting')).toBeUndefined();
  });
});

describe('the deployment meeting without Graph', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2026-04-13T12:00:00Z') });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('the tracker offers "Create the meeting", prefilled, and reminds the IRC to turn recording on', async () => {
    const thread = await promoteRelease(h, '2026.4.0');
    await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Production', '2026-04-14 22:00'), { conversationId: thread.conversationId });
    const card = tracker(h, '2026.4.0', 'BXCI Production');
    const link = new URL(links(card)['Create the meeting']!);
    expect(`${link.origin}${link.pathname}`).toBe('https://teams.microsoft.com/l/meeting/new');
    expect(link.searchParams.get('subject')).toBe('Deploy 2026.4.0 to BXCI Production');
    expect(link.searchParams.get('attendees')).toBe([emailOf(people.jake), emailOf(people.luis), emailOf(people.bosko)].join(','));
    expect(link.searchParams.get('startTime')).toBe('2026-04-15T02:00:00+00:00');
    expect(link.searchParams.get('endTime')).toBe('2026-04-15T03:30:00+00:00');
    expect(link.searchParams.get('content')).toContain('Turn recording on in Teams: Meeting options → Record automatically.');
    expect(textOf(card, 'recording-reminder')).toBe('⚠️ Then turn on recording: Meeting options → Record automatically.');
  });
});
