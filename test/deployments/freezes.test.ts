import { EvidencePack } from '../../src/app/evidence';
import { Harness, cardText, people, startHarness } from '../helpers/bot-harness';
import { findById } from '../teams/teams-view';
import { onlyRefusal, postWithTitle, promoteRelease, refusalsIn, scheduleText, sentCards, textsIn } from './deployment-view';

// A configured freeze as people meet it in Teams: the IRC's typed schedule inside it is refused with
// one "Can't do that" card naming the freeze, where it came from and when it ends, and a command
// that works; nothing is posted. A hotfix passes a freeze that lets hotfixes through.

describe('freezes over HTTP', () => {
  let h: Harness;
  const clock = new Date('2026-04-13T12:00:00Z'); // Mon 13 Apr 2026, 08:00 EDT

  beforeAll(async () => {
    h = await startHarness({
      now: () => clock,
      server: { evidenceLinkKey: 'k'.repeat(40) },
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
    expect(text).toContain(
      'schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-17 00:00 for 90m engineer Jake Edgington validators Luis Garcia, Bosko Kocev' +
        ' — or, as an IRC: schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 22:00 for 90m engineer Jake Edgington validators Luis Garcia, Bosko Kocev override freeze <reason>',
    );
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

  test('an IRC overrides the freeze with a reason: posted in the thread, in history and in the evidence pack', async () => {
    const thread = await promoteRelease(h, '2026.6.0');
    const where = { conversationId: thread.conversationId };
    // Luis is no IRC: the override is refused like the schedule itself.
    const notIrc = await h.say(people.luis, `${scheduleText('2026.6.0', 'BXCI Production', '2026-04-16 22:00')} override freeze audit fix`, where);
    expect(onlyRefusal(notIrc.calls, thread.conversationId)).toContain('Only an IRC can schedule a deployment');
    const noReason = await h.say(people.steven, `${scheduleText('2026.6.0', 'BXCI Production', '2026-04-16 22:00')} override freeze`, where);
    expect(onlyRefusal(noReason.calls, thread.conversationId)).toContain('override freeze needs a reason');

    // The reason may hold words that start schedule's parts ("for", "at").
    const overridden = await h.say(people.steven, `${scheduleText('2026.6.0', 'BXCI Production', '2026-04-16 22:00')} override freeze the auditors asked for this fix at once`, where);
    expect(refusalsIn(overridden.calls)).toEqual([]);
    expect(textsIn(overridden.calls, thread.conversationId)).toContain(
      '❄️ Steven Inouye overrode the freeze “Spring audit” to schedule Deploy 2026.6.0 to BXCI Production: the auditors asked for this fix at once',
    );

    const [history] = sentCards((await h.say(people.luis, 'history 2026.6.0', where)).calls, thread.conversationId);
    expect(cardText(history)).toContain('Steven Inouye overrode the freeze “Spring audit” to schedule Deploy 2026.6.0 to BXCI Production: the auditors asked for this fix at once');

    const [evidence] = sentCards((await h.say(people.luis, 'evidence 2026.6.0', where)).calls, thread.conversationId);
    const pack: EvidencePack = JSON.parse(await (await fetch(findById(evidence, 'download-json').url)).text());
    expect(pack.deployments[0]!.overrides).toEqual([
      {
        what: 'freeze “Spring audit” (2026-04-14T22:00:00.000Z – 2026-04-17T04:00:00.000Z) at schedule',
        by: expect.objectContaining({ name: 'Steven Inouye', entraId: people.steven.aadObjectId }),
        at: clock.toISOString(),
        reason: 'the auditors asked for this fix at once',
      },
    ]);
  });
});
