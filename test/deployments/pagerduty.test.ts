import { Harness, cardVerbs, people, startHarness } from '../helpers/bot-harness';
import { LoopbackPagerDuty, startLoopbackPagerDuty } from '../helpers/loopback-pagerduty';
import { expectValidCard, findById, textOf } from '../teams/teams-view';
import { buttonTitles, onCallCard, onCallPost, promoteRelease, refusalsIn, scheduleText, onCallFor } from './deployment-view';

// The on-call card fed by PagerDuty (onCall.provider "pagerduty"), over real HTTP: the bot asks a
// loopback PagerDuty for the window when the IRC schedules, and the card names whom it says, or
// says why it couldn't and offers the override.

describe('on-call coverage from PagerDuty', () => {
  let h: Harness;
  let pd: LoopbackPagerDuty;
  const clock = new Date('2026-04-13T12:00:00Z');

  beforeAll(async () => {
    pd = await startLoopbackPagerDuty();
    pd.shift({ scheduleId: 'PPLATF1', level: 1, user: { id: 'PU0BOSK', name: 'Bosko K.', email: 'bosko.kocev@lendos.example' }, start: '2026-04-13T16:00:00Z', end: '2026-04-20T16:00:00Z' });
    h = await startHarness({
      now: () => clock,
      configure: (config) => {
        config.onCall = { provider: 'pagerduty', pagerduty: { scheduleIds: ['PPLATF1'], baseUrl: pd.url, timeoutMs: 1_500 } };
      },
      server: { pagerDutyToken: pd.token },
    });
  });
  afterAll(async () => {
    await h.close();
    await pd.close();
  });
  afterEach(() => {
    expect(pd.malformed).toEqual([]);
    expect(h.connector.malformed).toEqual([]);
  });

  test('the card proposes whom PagerDuty has on call for the window, matched by email', async () => {
    const thread = await promoteRelease(h, '2026.4.0');
    const scheduled = await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Production', '2026-04-14 22:00'), { conversationId: thread.conversationId });
    expect(refusalsIn(scheduled.calls)).toEqual([]);
    const card = onCallCard(h, '2026.4.0', 'BXCI Production');
    expectValidCard(card);
    expect(textOf(card, 'person')).toBe('On call: Bosko Kocev');
    expect(findById(card, 'source-problem')).toBeUndefined();
    expect(buttonTitles(await onCallFor(h, people.steven, '2026.4.0', 'BXCI Production'))).toEqual(['Confirm', 'Override']);
    const request = pd.requests[pd.requests.length - 1]!;
    expect(request.query.get('since')).toBe('2026-04-15T02:00:00.000Z');
    expect(request.query.get('until')).toBe('2026-04-15T03:30:00.000Z');

    const confirmed = await h.say(people.steven, 'confirm on-call', { conversationId: thread.conversationId });
    expect(refusalsIn(confirmed.calls)).toEqual([]);
    expect(textOf(onCallCard(h, '2026.4.0', 'BXCI Production'), 'person')).toBe('On call: Bosko Kocev');
  });

  test('PagerDuty failing: the card says so and offers the override, which is recorded; a reschedule asks again', async () => {
    const thread = await promoteRelease(h, '2026.5.0');
    pd.failNext(1, 503);
    const scheduled = await h.say(people.steven, scheduleText('2026.5.0', 'BXCI Staging', '2026-04-14 22:00'), { conversationId: thread.conversationId });
    expect(refusalsIn(scheduled.calls)).toEqual([]); // scheduling goes ahead
    let card = onCallCard(h, '2026.5.0', 'BXCI Staging');
    expectValidCard(card);
    expect(textOf(card, 'person')).toBe("On call: unknown — the on-call source couldn't say");
    expect(textOf(card, 'source-problem')).toBe(
      '⚠️ PagerDuty failed (503: Internal Server Error). Confirm who covers the window, or override with the person who does.',
    );
    const stevens = await onCallFor(h, people.steven, '2026.5.0', 'BXCI Staging');
    expect(buttonTitles(stevens)).toEqual(['Confirm…', 'Override']);
    expect(cardVerbs(stevens).filter((verb) => verb !== 'refreshOnCall')).toEqual(['confirmOnCall', 'overrideOnCall']);

    // The IRC overrides from the card.
    const post = onCallPost(h, '2026.5.0', 'BXCI Staging');
    const click = await h.click(people.steven, post, 'overrideOnCall', {
      verb: 'overrideOnCall',
      deploymentId: '2026.5.0@bxci-staging.1',
      revision: stevens.actions[1].card.actions[0].data.revision,
      overridePerson: people.jake.aadObjectId,
      overrideReason: 'PagerDuty is down; Jake has the pager this week',
    });
    expect(click.status).toBe(200);
    card = onCallCard(h, '2026.5.0', 'BXCI Staging');
    expect(textOf(card, 'person')).toBe('On call: Jake Edgington');
    expect(textOf(card, 'reason')).toBe('Reason: PagerDuty is down; Jake has the pager this week');
    expect(findById(card, 'source-problem')).toBeUndefined();

    // Rescheduled while PagerDuty answers again: the override is void, and PagerDuty's answer replaces the problem.
    await h.say(people.steven, 'reschedule deploy 2026.5.0 to "BXCI Staging" at 2026-04-15 22:00', { conversationId: thread.conversationId });
    card = onCallCard(h, '2026.5.0', 'BXCI Staging');
    expect(textOf(card, 'person')).toBe('On call: Bosko Kocev');
    expect(findById(card, 'source-problem')).toBeUndefined();
  });
});
