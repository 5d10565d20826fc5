import { Harness, people, startHarness } from '../helpers/bot-harness';
import { onlyRefusal, postWithTitle, promoteRelease, refusalsIn, scheduleText } from './deployment-view';

// A configured freeze as people meet it in Teams: the IRC's typed schedule inside it is refused with
// one "Can't do that" card naming the freeze, where it came from and when it ends, and a command
// that works; nothing is posted. A hotfix passes a freeze that lets hotfixes through.

describe('freezes over HTTP', () => {
  let h: Harness;
  const clock = new Date('2026-04-13T12:00:00Z'); // Mon 13 Apr 2026, 08:00 EDT

  beforeAll(async () => {
    h = await startHarness({
      now: () => clock,
      configure: (raw) => {
        raw.freezes = [
          { name: 'Spring audit', from: '2026-04-14 18:00', to: '2026-04-16', environments: ['bxci-production'], hotfixes: true },
        ];
      },
    });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('a schedule inside the freeze is refused naming it and when it ends; the hinted command is accepted', async () => {
    const thread = await promoteRelease(h, '2026.4.0');
    const refused = await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Production', '2026-04-14 22:00'), { conversationId: thread.conversationId });
    const text = onlyRefusal(refused.calls, thread.conversationId);
    expect(text).toContain(
      'BXCI Production is frozen: “Spring audit” (from the config; hotfixes may pass): Tue 14 Apr 2026, 18:00 EDT until Fri 17 Apr 2026, 00:00 EDT. ' +
        'Deploy 2026.4.0 to BXCI Production (Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC)) falls inside it, ' +
        "so it can't go ahead until the freeze ends on Fri 17 Apr 2026, 00:00 EDT. Hotfixes may pass this freeze; this release is not one.",
    );
    expect(text).toContain('schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-17 00:00 for 90m');
    expect(postWithTitle(h, 'Deploy 2026.4.0 to BXCI Production')).toBeUndefined();

    const after = await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Production', '2026-04-17 00:00'), { conversationId: thread.conversationId });
    expect(refusalsIn(after.calls)).toEqual([]);
    expect(postWithTitle(h, 'Deploy 2026.4.0 to BXCI Production')).toBeDefined();
  });

  test('a hotfix passes a freeze that lets hotfixes through; another environment is not frozen', async () => {
    const hotfix = await promoteRelease(h, '2026.4.1', { hotfix: true });
    const passed = await h.say(people.steven, scheduleText('2026.4.1', 'BXCI Production', '2026-04-15 22:00'), { conversationId: hotfix.conversationId });
    expect(refusalsIn(passed.calls)).toEqual([]);
    const staging = await promoteRelease(h, '2026.5.0');
    const elsewhere = await h.say(people.steven, scheduleText('2026.5.0', 'BXCI Staging', '2026-04-14 22:00'), { conversationId: staging.conversationId });
    expect(refusalsIn(elsewhere.calls)).toEqual([]);
  });
});
