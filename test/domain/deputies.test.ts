import { NO_DEPUTIES, activeCovers, decideDeputy, withDeputies, DeputiesState, DeputyCover } from '../../src/domain/deputies';
import { decideRelease, waitingLines, waitingOn } from '../../src/domain/release';
import { Actor, Directory, ReleaseCommand, ReleaseState } from '../../src/domain/types';
import { VERSION, bosko, cut, given, jake, leads, luis, outsider, rafaella, steven } from './fixtures';

// Steven (DAML) is away; Bosko (Stream) stands in for him. Times: the fixtures cut rc.1 on Fri 10
// Apr 2026 at 10:00 EDT; the cover runs to the end of Mon 20 Apr.

const ZONE = 'America/New_York';
const NOW = new Date('2026-04-10T15:00:00Z');
const UNTIL = new Date('2026-04-21T04:00:00Z'); // Tue 21 Apr 00:00 EDT: through Mon 20 Apr

function named(actor: Actor, lead: Actor, deputy: Actor, state: DeputiesState = NO_DEPUTIES): DeputiesState {
  const outcome = decideDeputy({ type: 'nameDeputy', lead: lead.id, deputy: deputy.id, until: UNTIL }, state, { actor: actor, now: NOW, directory: leads, timeZone: ZONE });
  if (outcome.kind !== 'accepted') throw new Error(outcome.reason);
  return outcome.state;
}
const directoryWith = (state: DeputiesState, at = NOW): Directory => withDeputies(leads, activeCovers(state, [], at, leads));
const act = (state: ReleaseState, actor: Actor, command: ReleaseCommand, directory: Directory) => decideRelease(command, state, { actor, now: NOW, directory, version: VERSION });

describe('naming a deputy', () => {
  test('a lead names their own; the cover is for their area, until the time given', () => {
    const state = named(steven, steven, bosko);
    expect(state.covers).toEqual([expect.objectContaining({ area: 'daml', lead: steven.id, deputy: bosko.id, until: UNTIL.toISOString(), namedBy: steven.id })]);
  });

  test('the Platform team may name one for a lead; nobody else may', () => {
    expect(named(jake, steven, bosko).covers[0]).toMatchObject({ area: 'daml', deputy: bosko.id, namedBy: jake.id });
    const refused = decideDeputy({ type: 'nameDeputy', lead: steven.id, deputy: bosko.id, until: UNTIL }, NO_DEPUTIES, { actor: luis, now: NOW, directory: leads, timeZone: ZONE });
    expect(refused).toMatchObject({ kind: 'refusal', code: 'not-allowed' });
    expect(refused.kind === 'refusal' && refused.reason).toContain('Only Steven Inouye or the Platform team can name a deputy');
  });

  test('refused: oneself as deputy, a time passed, more than 92 days, someone who leads no area', () => {
    const tryName = (lead: Actor, deputy: Actor, until: Date, actor: Actor = lead) =>
      decideDeputy({ type: 'nameDeputy', lead: lead.id, deputy: deputy.id, until }, NO_DEPUTIES, { actor: actor, now: NOW, directory: leads, timeZone: ZONE });
    expect(tryName(steven, steven, UNTIL)).toMatchObject({ kind: 'refusal', code: 'invalid-input' });
    expect(tryName(steven, bosko, new Date('2026-04-09T00:00:00Z'))).toMatchObject({ kind: 'refusal', code: 'invalid-input' });
    expect(tryName(steven, bosko, new Date('2026-08-01T00:00:00Z'))).toMatchObject({ kind: 'refusal', code: 'invalid-input' });
    expect(tryName(outsider, bosko, UNTIL, jake)).toMatchObject({ kind: 'refusal', code: 'not-allowed' });
  });

  test('back ends the cover; a second back says there is none', () => {
    const state = named(steven, steven, bosko);
    const back = decideDeputy({ type: 'endDeputy', lead: steven.id }, state, { actor: steven, now: NOW, directory: leads, timeZone: ZONE });
    if (back.kind !== 'accepted') throw new Error(back.reason);
    expect(back.state.covers).toEqual([]);
    expect(decideDeputy({ type: 'endDeputy', lead: steven.id }, back.state, { actor: steven, now: NOW, directory: leads, timeZone: ZONE })).toMatchObject({ kind: 'refusal', code: 'nothing-to-revoke' });
  });

  test('a cover counts only while it lasts; a Teams cover wins over the config one for the same area', () => {
    const state = named(steven, steven, bosko);
    expect(activeCovers(state, [], new Date('2026-04-21T03:59:00Z'), leads)).toHaveLength(1);
    expect(activeCovers(state, [], UNTIL, leads)).toEqual([]);
    const configured: DeputyCover = { area: 'daml', lead: steven.id, deputy: luis.id, until: '2026-05-01T00:00:00Z', source: 'config' };
    expect(activeCovers(NO_DEPUTIES, [configured], NOW, leads).map((c) => c.deputy)).toEqual([luis.id]);
    expect(activeCovers(state, [configured], NOW, leads).map((c) => c.deputy)).toEqual([bosko.id]);
    expect(withDeputies(leads, activeCovers(state, [], NOW, leads)).deputyOfArea?.('daml')).toBe(bosko.id);
  });
});

describe('a deputy deciding', () => {
  const rc1 = () => given([[jake, cut(1)]]);

  test('the deputy approves the away lead\'s area; the decision says whose deputy', () => {
    const directory = directoryWith(named(steven, steven, bosko));
    const outcome = act(rc1(), bosko, { type: 'approve', rc: 1, area: 'daml' }, directory);
    if (outcome.kind !== 'accepted') throw new Error(outcome.reason);
    expect(outcome.events).toEqual([expect.objectContaining({ type: 'approved', area: 'daml', by: bosko.id, deputyFor: steven.id })]);
    expect(outcome.state.rcs[0]!.decisions.daml).toMatchObject({ decision: 'approved', by: bosko.id, deputyFor: steven.id });
  });

  test('a deputy who leads an area too must say which; and fills one area per RC: not Stream as well', () => {
    const directory = directoryWith(named(steven, steven, bosko));
    const bare = act(rc1(), bosko, { type: 'approve', rc: 1 }, directory);
    expect(bare).toMatchObject({ kind: 'refusal', code: 'area-ambiguous', hint: 'approve rc.1 for daml' });
    const deputized = act(rc1(), bosko, { type: 'approve', rc: 1, area: 'daml' }, directory);
    if (deputized.kind !== 'accepted') throw new Error(deputized.reason);
    const own = act(deputized.state, bosko, { type: 'approve', rc: 1, area: 'stream' }, directory);
    expect(own).toMatchObject({ kind: 'refusal', code: 'area-taken' });
  });

  test('without a cover (ended, or never named) the would-be deputy is refused', () => {
    expect(act(rc1(), bosko, { type: 'approve', rc: 1, area: 'daml' }, leads)).toMatchObject({ kind: 'refusal', code: 'not-allowed' });
    const expired = directoryWith(named(steven, steven, bosko), UNTIL);
    expect(act(rc1(), bosko, { type: 'approve', rc: 1, area: 'daml' }, expired)).toMatchObject({ kind: 'refusal', code: 'not-allowed' });
  });

  test('two leads standing in for each other cannot each decide the other\'s area on one RC', () => {
    const both = named(bosko, bosko, steven, named(steven, steven, bosko));
    const directory = directoryWith(both);
    const first = act(rc1(), steven, { type: 'approve', rc: 1, area: 'stream' }, directory);
    if (first.kind !== 'accepted') throw new Error(first.reason);
    const swapped = act(first.state, bosko, { type: 'approve', rc: 1, area: 'daml' }, directory);
    expect(swapped).toMatchObject({ kind: 'refusal', code: 'area-taken' });
    expect(swapped.kind === 'refusal' && swapped.reason).toContain('Steven Inouye already decided Stream on rc.1 as your deputy');
  });

  test('the lead may still decide their own area while a deputy stands in', () => {
    const directory = directoryWith(named(steven, steven, bosko));
    expect(act(rc1(), steven, { type: 'approve', rc: 1 }, directory)).toMatchObject({ kind: 'accepted' });
  });
});

describe('whom the RC waits for (waitingOn) while a lead is away', () => {
  const rc1 = () => given([[jake, cut(1)]]);
  const daml = (state: ReleaseState, directory: Directory) =>
    waitingOn(state, { directory, now: NOW }).find((item) => item.kind === 'approval' && item.area.key === 'daml');

  test('names the deputy who can decide the area, not the away lead, in the items and in words', () => {
    const directory = directoryWith(named(steven, steven, bosko));
    expect(daml(rc1(), directory)).toMatchObject({ kind: 'approval', decider: bosko.id, deputyFor: steven.id });
    const line = waitingLines(rc1(), { directory, now: NOW }).join('\n');
    expect(line).toContain('Bosko Kocev for DAML (deputy of Steven Inouye)');
    expect(line).not.toContain('DAML (Steven Inouye)');
    // Without the cover the lead is named.
    expect(daml(rc1(), leads)).toMatchObject({ decider: steven.id });
    expect(daml(rc1(), leads)).not.toHaveProperty('deputyFor');
  });

  test('a deputy who already filled their own area on this RC can\'t decide it, so the lead is named again', () => {
    const directory = directoryWith(named(steven, steven, bosko));
    const own = act(rc1(), bosko, { type: 'approve', rc: 1, area: 'stream' }, directory);
    if (own.kind !== 'accepted') throw new Error(own.reason);
    expect(daml(own.state, directory)).toMatchObject({ decider: steven.id });
    expect(daml(own.state, directory)).not.toHaveProperty('deputyFor');
  });

  test('promotion refused for a missing area names the deputy to ask', () => {
    const directory = directoryWith(named(steven, steven, bosko));
    let state = rc1();
    for (const [actor, area] of [[luis, 'product'], [rafaella, 'qa'], [bosko, 'stream'], [jake, 'platform']] as const) {
      const outcome = act(state, actor, { type: 'approve', rc: 1, area }, directory);
      if (outcome.kind !== 'accepted') throw new Error(outcome.reason);
      state = outcome.state;
    }
    // Bosko filled Stream, so DAML waits for Steven; a fresh deputy (Luis has filled Product) can't either.
    expect(act(state, jake, { type: 'promote', rc: 1, notesUrl: 'https://notes.example/1' }, directory)).toMatchObject({ kind: 'refusal', code: 'approvals-missing' });
    const other = directoryWith(named(steven, steven, outsider));
    const refusal = act(state, jake, { type: 'promote', rc: 1, notesUrl: 'https://notes.example/1' }, other);
    expect(refusal.kind === 'refusal' && refusal.reason).toContain('Olga Outsider for DAML (deputy of Steven Inouye)');
  });
});
