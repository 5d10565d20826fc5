import { Harness, people, startHarness } from '../helpers/bot-harness';
import { textOf } from '../teams/teams-view';
import { onlyRefusal, postWithTitle, promoteRelease, refusalsIn, scheduleText, sentCards, textsIn } from './deployment-view';

// Environment locks as people meet them in Teams: a lock typed by the Platform team is confirmed;
// while it holds, the IRC's schedule into that environment is refused naming who holds it, why and
// until when, with nothing posted; status shows it; it ends by itself (the injected clock passes
// `until`, no timer fires) or by an unlock from the holder, an IRC or the Platform team.

describe('environment locks over HTTP', () => {
  let h: Harness;
  let clock: Date;
  const monday = () => (clock = new Date('2026-04-13T12:00:00Z')); // Mon 13 Apr 2026, 08:00 EDT

  beforeAll(async () => {
    monday();
    h = await startHarness({ now: () => clock, configure: (raw) => raw.environments.push({ key: 'demo', name: 'Demo' }) });
  });
  afterAll(() => h.close());
  beforeEach(monday);
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('a lock refuses someone else\'s schedule with who, why and until when; status shows it; an IRC unlocks it', async () => {
    const thread = await promoteRelease(h, '2026.4.0');
    const where = { conversationId: thread.conversationId };
    const locked = await h.say(people.jake, 'lock "BXCI Staging" database migration dry run until 2026-04-15 00:00', where);
    expect(refusalsIn(locked.calls)).toEqual([]);
    expect(textsIn(locked.calls, thread.conversationId)).toEqual([
      '🔒 Jake Edgington locked BXCI Staging until Wed 15 Apr 2026, 00:00 EDT: “database migration dry run”. ' +
        'Until then nobody else schedules into it or starts a deployment in it; `unlock "BXCI Staging"` ends it sooner.',
    ]);

    const refused = await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Staging', '2026-04-14 22:00'), where);
    const text = onlyRefusal(refused.calls, thread.conversationId);
    expect(text).toContain(
      'BXCI Staging is locked by Jake Edgington until Wed 15 Apr 2026, 00:00 EDT: “database migration dry run”. ' +
        'Scheduling Deploy 2026.4.0 to BXCI Staging in Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC) has to wait until the lock ends, ' +
        'or until Jake Edgington, an IRC or the Platform team unlocks it.',
    );
    expect(text).toContain('schedule deploy 2026.4.0 to "BXCI Staging" at 2026-04-15 00:00 for 90m engineer Jake Edgington validators Luis Garcia, Bosko Kocev');
    expect(postWithTitle(h, 'Deploy 2026.4.0 to BXCI Staging')).toBeUndefined();

    const statusAt = `${thread.conversationId}`;
    const [status] = sentCards((await h.say(people.luis, 'status 2026.4.0', { conversationId: statusAt })).calls, statusAt);
    expect(textOf(status, 'holds')).toContain('🔒 BXCI Staging: locked by Jake Edgington until Wed 15 Apr 2026, 00:00 EDT — “database migration dry run”');

    // Luis holds no role and not the lock.
    const notHis = await h.say(people.luis, 'unlock "BXCI Staging"', where);
    expect(onlyRefusal(notHis.calls, thread.conversationId)).toContain('Only Jake Edgington (who holds it), an IRC or the Platform team can unlock BXCI Staging.');

    const unlocked = await h.say(people.steven, 'unlock "BXCI Staging"', where);
    expect(textsIn(unlocked.calls, thread.conversationId)).toEqual(['🔓 Steven Inouye unlocked BXCI Staging (held by Jake Edgington: “database migration dry run”).']);
    const scheduled = await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Staging', '2026-04-14 22:00'), where);
    expect(refusalsIn(scheduled.calls)).toEqual([]);
  });

  test('a lock ends by itself when the clock passes its end; the holder may schedule inside their own lock', async () => {
    const thread = await promoteRelease(h, '2026.5.0');
    const where = { conversationId: thread.conversationId };
    expect(refusalsIn((await h.say(people.jake, 'lock Demo load test for 2h', where)).calls)).toEqual([]); // until 10:00 EDT
    clock = new Date('2026-04-13T13:59:00Z');
    const during = await h.say(people.steven, 'lock Demo my own reason for 1h', where);
    expect(onlyRefusal(during.calls, thread.conversationId)).toContain('Demo is locked by Jake Edgington until Mon 13 Apr 2026, 10:00 EDT: “load test”.');
    clock = new Date('2026-04-13T14:00:00Z'); // 10:00 EDT: the lock has ended, nobody unlocked it
    const after = await h.say(people.steven, 'lock Demo my own reason until 2026-04-14 00:00', where);
    expect(refusalsIn(after.calls)).toEqual([]);
    // 22:00–23:30 lies inside Steven's own lock, which stops only others.
    const own = await h.say(people.steven, scheduleText('2026.5.0', 'Demo', '2026-04-13 22:00'), where);
    expect(refusalsIn(own.calls)).toEqual([]);
    const jakeNow = await h.say(people.jake, 'lock Demo another test for 1h', where);
    expect(onlyRefusal(jakeNow.calls, thread.conversationId)).toContain('Demo is locked by Steven Inouye until Tue 14 Apr 2026, 00:00 EDT: “my own reason”.');
  });

  test('a bad lock says what was wrong and shows a complete example', async () => {
    const where = { conversationId: '19:engineering0001@thread.tacv2;messageid=99001' };
    const noReason = await h.say(people.jake, 'lock "BXCI Staging" for 2h', where);
    expect(onlyRefusal(noReason.calls, where.conversationId)).toContain('lock needs a reason, so whoever it stops knows why');
    const badTime = await h.say(people.jake, 'lock "BXCI Staging" dry run for 2 fortnights', where);
    expect(onlyRefusal(badTime.calls, where.conversationId)).toContain('Example: lock "BXCI Production" database migration dry run for 2h');
  });
});
