import { EvidencePack } from '../../src/app/evidence';
import { Harness, cardText, people, startHarness } from '../helpers/bot-harness';
import { findById, textOf } from '../teams/teams-view';
import { onlyRefusal, postWithTitle, promoteRelease, refusalsIn, scheduleText, sentCards, textsIn } from './deployment-view';

// Freezes typed in Teams, as people meet them: an IRC or the Platform team declares one, the
// confirmation says exactly when it holds; a schedule or a start inside it is refused naming it, who
// declared it and when it ends; an IRC's override with a reason still passes and is recorded;
// `unfreeze` lifts it by name or environment; a freeze from the config is not lifted from Teams.

describe('typed freezes over HTTP', () => {
  let h: Harness;
  let clock: Date;
  const monday = () => (clock = new Date('2026-04-13T12:00:00Z')); // Mon 13 Apr 2026, 08:00 EDT

  beforeAll(async () => {
    monday();
    h = await startHarness({
      now: () => clock,
      server: { evidenceLinkKey: 'k'.repeat(40) },
      configure: (raw) => {
        raw.environments.push({ key: 'demo', name: 'Demo' });
        raw.freezes = [{ name: 'Year-end close', from: '2026-12-24', to: '2027-01-03', environments: ['bxci-production'], hotfixes: true }];
      },
    });
  });
  afterAll(() => h.close());
  beforeEach(monday);
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('a declared freeze refuses a schedule naming it, who declared it and its end; status shows it; unfreeze lifts it', async () => {
    const thread = await promoteRelease(h, '2026.4.0');
    const where = { conversationId: thread.conversationId };
    const declared = await h.say(people.steven, 'freeze "BXCI Staging" until 2026-04-20 09:00 reason: quarter close', where);
    expect(refusalsIn(declared.calls)).toEqual([]);
    expect(textsIn(declared.calls, thread.conversationId)).toEqual([
      '❄️ Steven Inouye froze BXCI Staging from Mon 13 Apr 2026, 08:00 EDT until Mon 20 Apr 2026, 09:00 EDT: “quarter close” (hotfixes too). ' +
        'Nothing is scheduled or started there meanwhile unless an IRC overrides with a reason; `unfreeze "BXCI Staging"` lifts it.',
    ]);

    const refused = await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Staging', '2026-04-14 22:00'), where);
    const text = onlyRefusal(refused.calls, thread.conversationId);
    expect(text).toContain(
      'BXCI Staging is frozen: “quarter close” (declared by Steven Inouye; hotfixes too): Mon 13 Apr 2026, 08:00 EDT until Mon 20 Apr 2026, 09:00 EDT. ' +
        'Deploy 2026.4.0 to BXCI Staging (Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC)) falls inside it, ' +
        "so it can't go ahead until the freeze ends on Mon 20 Apr 2026, 09:00 EDT. Not even hotfixes pass it.",
    );
    expect(text).toContain('schedule deploy 2026.4.0 to "BXCI Staging" at 2026-04-20 18:00 for 90m engineer Jake Edgington validators Luis Garcia, Bosko Kocev');
    expect(postWithTitle(h, 'Deploy 2026.4.0 to BXCI Staging')).toBeUndefined();

    const [status] = sentCards((await h.say(people.luis, 'status 2026.4.0', where)).calls, thread.conversationId);
    expect(textOf(status, 'holds')).toContain('❄️ BXCI Staging: frozen, “quarter close” (declared by Steven Inouye; hotfixes too): Mon 13 Apr 2026, 08:00 EDT until Mon 20 Apr 2026, 09:00 EDT');

    // Luis holds no role; the freeze holds.
    const notHis = await h.say(people.luis, 'unfreeze "quarter close"', where);
    expect(onlyRefusal(notHis.calls, thread.conversationId)).toContain('Only an IRC or the Platform team can unfreeze an environment.');

    const lifted = await h.say(people.jake, 'unfreeze "Quarter Close"', where);
    expect(refusalsIn(lifted.calls)).toEqual([]);
    expect(textsIn(lifted.calls, thread.conversationId)).toEqual(['☀️ Jake Edgington lifted the freeze “quarter close” on BXCI Staging.']);
    const scheduled = await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Staging', '2026-04-14 22:00'), where);
    expect(refusalsIn(scheduled.calls)).toEqual([]);
    expect(postWithTitle(h, 'Deploy 2026.4.0 to BXCI Staging')).toBeDefined();
  });

  test('a freeze declared over a scheduled deployment says so, and refuses its start until an IRC overrides it, recorded', async () => {
    const thread = await promoteRelease(h, '2026.5.0');
    const where = { conversationId: thread.conversationId };
    expect(refusalsIn((await h.say(people.steven, scheduleText('2026.5.0', 'Demo', '2026-04-14 22:00'), where)).calls)).toEqual([]);
    const declared = await h.say(people.jake, 'freeze Demo from 2026-04-14 until 2026-04-14 regulator review hotfixes allowed', where);
    // Not begun yet: status shows it coming.
    const [status] = sentCards((await h.say(people.luis, 'status 2026.5.0', where)).calls, thread.conversationId);
    expect(textOf(status, 'holds')).toContain('❄️ Demo: frozen soon, “regulator review” (declared by Jake Edgington; hotfixes may pass): Tue 14 Apr 2026, 00:00 EDT until Wed 15 Apr 2026, 00:00 EDT');
    expect(textsIn(declared.calls, thread.conversationId)).toEqual([
      '❄️ Jake Edgington froze Demo from Tue 14 Apr 2026, 00:00 EDT until Wed 15 Apr 2026, 00:00 EDT: “regulator review” (hotfixes may pass). ' +
        'Nothing is scheduled or started there meanwhile unless an IRC overrides with a reason; `unfreeze "Demo"` lifts it. ' +
        'Already scheduled inside it, and held back at start unless an IRC overrides: Deploy 2026.5.0 to Demo.',
    ]);

    clock = new Date('2026-04-15T02:00:00Z'); // 22:00 EDT, the window opens
    expect(refusalsIn((await h.say(people.steven, 'confirm on-call', where)).calls)).toEqual([]);
    const start = await h.say(people.steven, 'start', where);
    expect(onlyRefusal(start.calls, thread.conversationId)).toContain(
      'Demo is frozen: “regulator review” (declared by Jake Edgington; hotfixes may pass): Tue 14 Apr 2026, 00:00 EDT until Wed 15 Apr 2026, 00:00 EDT.',
    );
    expect(onlyRefusal(start.calls, thread.conversationId)).toContain('start override freeze <reason>');

    const overridden = await h.say(people.steven, 'start override freeze regulator signed off at 21:40', where);
    expect(refusalsIn(overridden.calls)).toEqual([]);
    expect(textsIn(overridden.calls, thread.conversationId)).toContain(
      '❄️ Steven Inouye overrode the freeze “regulator review” to start Deploy 2026.5.0 to Demo: regulator signed off at 21:40',
    );

    // Recorded: in history, beside the freeze itself, and among the evidence pack's overrides.
    const [history] = sentCards((await h.say(people.luis, 'history 2026.5.0', where)).calls, thread.conversationId);
    expect(cardText(history)).toContain('Jake Edgington froze Demo from Tue 14 Apr 2026, 00:00 EDT until Wed 15 Apr 2026, 00:00 EDT: “regulator review” (hotfixes may pass)');
    expect(cardText(history)).toContain('Steven Inouye overrode the freeze “regulator review” to start Deploy 2026.5.0 to Demo: regulator signed off at 21:40');
    const [evidence] = sentCards((await h.say(people.luis, 'evidence 2026.5.0', where)).calls, thread.conversationId);
    const pack: EvidencePack = JSON.parse(await (await fetch(findById(evidence, 'download-json').url)).text());
    expect(pack.deployments[0]!.overrides).toEqual([
      {
        what: 'freeze “regulator review” (2026-04-14T04:00:00.000Z – 2026-04-15T04:00:00.000Z) at start',
        by: { name: 'Steven Inouye', entraId: people.steven.aadObjectId },
        at: '2026-04-15T02:00:00.000Z',
        reason: 'regulator signed off at 21:40',
      },
    ]);
    expect(pack.holds[0]!.events.map((e) => `${e.kind} ${e.reason}`)).toEqual(['freezeDeclared regulator review']);
  });

  test('times follow the configured zone across a clock change; all freezes every environment', async () => {
    clock = new Date('2026-10-30T12:00:00Z');
    const where = { conversationId: '19:engineering0001@thread.tacv2;messageid=99101' };
    const declared = await h.say(people.steven, 'freeze all from 2026-11-01 until 2026-11-01 reason: clocks go back', where);
    expect(refusalsIn(declared.calls)).toEqual([]);
    // 1 November 2026 in New York is 25 hours long: 00:00 EDT until 00:00 EST the next day.
    expect(textsIn(declared.calls, where.conversationId)).toEqual(
      ['BXCI Production', 'BXCI Staging', 'Demo'].map(
        (name) =>
          `❄️ Steven Inouye froze ${name} from Sun 1 Nov 2026, 00:00 EDT until Mon 2 Nov 2026, 00:00 EST: “clocks go back” (hotfixes too). ` +
          `Nothing is scheduled or started there meanwhile unless an IRC overrides with a reason; \`unfreeze "${name}"\` lifts it.`,
      ),
    );
    // Typed again (say the first answer was lost): each environment says it already is; Luis is told once.
    const same = await h.say(people.steven, 'freeze all from 2026-11-01 until 2026-11-01 reason: clocks go back', where);
    expect(onlyRefusal(same.calls, where.conversationId)).toContain(
      'BXCI Production is already frozen for “clocks go back” until Mon 2 Nov 2026, 00:00 EST; nothing changed. BXCI Staging is already frozen',
    );
    const luis = await h.say(people.luis, 'freeze all for 1d reason: mine', where);
    expect(onlyRefusal(luis.calls, where.conversationId).match(/Only an IRC or the Platform team can freeze an environment/g)).toHaveLength(1);
    const again = await h.say(people.steven, 'freeze Demo for 3d reason: clocks go back', where);
    expect(onlyRefusal(again.calls, where.conversationId)).toContain('Demo already has a freeze “clocks go back” (Sun 1 Nov 2026, 00:00 EDT until Mon 2 Nov 2026, 00:00 EST).');
    const lifted = await h.say(people.steven, 'unfreeze "clocks go back"', where);
    expect(textsIn(lifted.calls, where.conversationId)).toHaveLength(3);
    const nothing = await h.say(people.steven, 'unfreeze "clocks go back"', where);
    expect(onlyRefusal(nothing.calls, where.conversationId)).toContain('No environment has a freeze “clocks go back” declared in Teams that is in force or ahead');
  });

  test('a freeze from the config is not lifted from Teams, and says how it is', async () => {
    const where = { conversationId: '19:engineering0001@thread.tacv2;messageid=99102' };
    const refused = await h.say(people.steven, 'unfreeze "BXCI Production"', where);
    expect(onlyRefusal(refused.calls, where.conversationId)).toContain(
      '“Year-end close” on BXCI Production comes from the config, not from a command, so it can\'t be lifted in Teams: remove it from the config\'s freezes and restart.',
    );
  });

  test('bad freezes say what was wrong and show a complete example', async () => {
    const where = { conversationId: '19:engineering0001@thread.tacv2;messageid=99103' };
    const noEnd = await h.say(people.steven, 'freeze "BXCI Staging" quarter close', where);
    expect(onlyRefusal(noEnd.calls, where.conversationId)).toContain(
      'freeze needs its end: until <YYYY-MM-DD> [HH:MM] or for <duration> (like 3d or 12h), for example freeze "BXCI Staging" until 2026-04-20 09:00 reason: quarter close.',
    );
    const noReason = await h.say(people.steven, 'freeze "BXCI Staging" until 2026-04-20', where);
    expect(onlyRefusal(noReason.calls, where.conversationId)).toContain('freeze needs a reason, which is also its name');
    const badDate = await h.say(people.steven, 'freeze "BXCI Staging" until 2026-02-30 09:00 reason: audit', where);
    const badText = onlyRefusal(badDate.calls, where.conversationId);
    expect(badText).toContain('"2026-02-30 09:00" is not a real date and time');
    expect(badText).toContain('Example: freeze "BXCI Production" until 2026-04-20 09:00 reason: quarter close hotfixes allowed');
    const skipped = await h.say(people.steven, 'freeze "BXCI Staging" until 2027-03-14 02:30 reason: audit', where);
    expect(onlyRefusal(skipped.calls, where.conversationId)).toContain('"2027-03-14 02:30" does not exist in America/New_York (clocks jump forward over it)');
    const past = await h.say(people.steven, 'freeze "BXCI Staging" until 2026-04-01 reason: audit', where);
    expect(onlyRefusal(past.calls, where.conversationId)).toContain('A freeze must end in the future; Thu 2 Apr 2026, 00:00 EDT has passed.');
    const notAllowed = await h.say(people.luis, 'freeze "BXCI Staging" for 2d reason: audit', where);
    expect(onlyRefusal(notAllowed.calls, where.conversationId)).toContain('Only an IRC or the Platform team can freeze an environment.');
    const unknown = await h.say(people.steven, 'freeze Moon for 2d reason: audit', where);
    expect(onlyRefusal(unknown.calls, where.conversationId)).toContain('Or write all for every environment.');
  });
});
