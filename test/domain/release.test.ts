import fc from 'fast-check';
import { createDirectory } from '../../src/domain/directory';
import {
  approvalProgress,
  canPromote,
  currentRc,
  decideRelease,
  emptyRelease,
  evolve,
  replay,
  rcNumbered,
  waitingLines,
} from '../../src/domain/release';
import { Actor, ReleaseCommand, ReleaseEvent, ReleaseState } from '../../src/domain/types';
import {
  accepted,
  allApprove,
  bosko,
  cut,
  doubleHatted,
  given,
  jake,
  leads,
  luis,
  minutesAfter,
  outsider,
  rafaella,
  refused,
  steven,
  T0,
  VERSION,
} from './fixtures';

const LATER = minutesAfter(60);
const act = (state: ReleaseState | undefined, actor: Actor, command: ReleaseCommand, directory = leads) =>
  decideRelease(command, state, { actor, now: LATER, directory, version: VERSION });

const promoted = () => given([[jake, cut(1)], ...allApprove(1), [jake, { type: 'promote', rc: 1 }]]);
const twoRcs = () => given([[jake, cut(1)], [jake, cut(2)]]);

describe('before any RC is cut', () => {
  const commands: ReleaseCommand[] = [
    { type: 'recordQa', rc: 1, result: 'pass', summary: 'all green' },
    { type: 'approve', rc: 1 },
    { type: 'reject', rc: 1, reason: 'broken' },
    { type: 'revoke', rc: 1 },
    { type: 'promote', rc: 1 },
  ];

  it.each(commands.map((command) => [command.type, command] as const))('%s is refused with no-release', (_type, command) => {
    for (const state of [undefined, emptyRelease(VERSION)]) {
      const refusal = refused(act(state, jake, command));
      expect(refusal.code).toBe('no-release');
      expect(refusal.reason).toContain('No RC of 2026.4.0 has been cut yet');
      expect(refusal.hint).toBe('rc 2026.4.0-rc.1');
    }
  });
});

describe('cutRc (runbook 1.1, 1.2)', () => {
  it('creates the release with its first RC', () => {
    const outcome = accepted(act(undefined, jake, cut(1, { features: ['Export'] })));
    expect(outcome.events).toEqual([
      {
        type: 'rcCut',
        rc: 1,
        by: jake.id,
        at: LATER.toISOString(),
        hotfix: false,
        contents: expect.objectContaining({ features: ['Export'] }),
      },
    ]);
    expect(outcome.state.version).toBe('2026.4.0');
    expect(outcome.state.revision).toBe(1);
    expect(outcome.state.rcs).toEqual([
      expect.objectContaining({ number: 1, status: 'open', cutBy: jake.id, cutAt: LATER.toISOString(), decisions: {} }),
    ]);
    expect(currentRc(outcome.state)?.number).toBe(1);
  });

  it('allows a first RC other than rc.1 (CI may have discarded builds)', () => {
    expect(accepted(act(undefined, jake, cut(3))).state.rcs.map((rc) => rc.number)).toEqual([3]);
  });

  it('keeps the hotfix flag on the RC', () => {
    const state = accepted(act(undefined, jake, cut(1, {}, true))).state;
    expect(currentRc(state)?.hotfix).toBe(true);
  });

  it('refuses anyone outside the Platform team, naming who can do it', () => {
    const refusal = refused(act(undefined, luis, cut(1)));
    expect(refusal.code).toBe('not-allowed');
    expect(refusal.reason).toBe('Only the Platform team can cut an RC of 2026.4.0 — ask Jake Edgington.');
    expect(refusal.hint).toBe('status 2026.4.0');
  });

  it('a higher RC supersedes the open one and voids its decisions', () => {
    const before = given([
      [jake, cut(1)],
      [luis, { type: 'approve', rc: 1 }],
      [rafaella, { type: 'reject', rc: 1, reason: 'login broken' }],
    ]);
    const outcome = accepted(act(before, jake, cut(2)));
    expect(outcome.events.map((e) => e.type)).toEqual(['rcSuperseded', 'rcCut']);
    expect(outcome.events[0]).toEqual({
      type: 'rcSuperseded',
      rc: 1,
      supersededBy: 2,
      voidedAreas: ['product', 'qa'],
      by: jake.id,
      at: LATER.toISOString(),
    });
    expect(outcome.state.revision).toBe(before.revision + 2);
    expect(rcNumbered(outcome.state, 1)).toEqual(expect.objectContaining({ status: 'superseded', supersededBy: 2 }));
    expect(currentRc(outcome.state)?.number).toBe(2);
    expect(approvalProgress(outcome.state, 2, leads)).toEqual({
      approved: [],
      rejected: [],
      pending: ['product', 'qa', 'daml', 'stream', 'platform'],
    });
  });

  it('supersedes with no voided areas when nobody had decided', () => {
    const outcome = accepted(act(given([[jake, cut(1)]]), jake, cut(2)));
    expect(outcome.events[0]).toEqual(expect.objectContaining({ type: 'rcSuperseded', voidedAreas: [] }));
  });

  it('allows skipping numbers forward', () => {
    const state = accepted(act(given([[jake, cut(1)]]), jake, cut(4))).state;
    expect(state.rcs.map((rc) => [rc.number, rc.status])).toEqual([
      [1, 'superseded'],
      [4, 'open'],
    ]);
  });

  it('refuses an RC number that exists, saying which comes next', () => {
    const refusal = refused(act(twoRcs(), jake, cut(2)));
    expect(refusal.code).toBe('rc-exists');
    expect(refusal.reason).toBe('2026.4.0-rc.2 already exists (cut by Jake Edgington on 2026-04-10 14:01 UTC). The next RC is rc.3.');
    expect(refusal.hint).toBe('rc 2026.4.0-rc.3');
  });

  it('refuses an older RC number that exists as rc-exists too', () => {
    expect(refused(act(twoRcs(), jake, cut(1))).code).toBe('rc-exists');
  });

  it('refuses a lower number than the newest, saying what the next number is', () => {
    const state = given([[jake, cut(1)], [jake, cut(3)]]);
    const refusal = refused(act(state, jake, cut(2, {}, true)));
    expect(refusal.code).toBe('rc-out-of-order');
    expect(refusal.reason).toContain('rc.2 comes before rc.3, the newest RC of 2026.4.0');
    expect(refusal.reason).toContain('The next RC is rc.4.');
    expect(refusal.hint).toBe('rc 2026.4.0-rc.4 hotfix');
  });

  it('refuses once the release is promoted and points to a hotfix', () => {
    const refusal = refused(act(promoted(), jake, cut(2)));
    expect(refusal.code).toBe('already-promoted');
    expect(refusal.reason).toContain('2026.4.0 was already promoted from rc.1 by Jake Edgington on 2026-04-10 14:06 UTC');
    expect(refusal.reason).toContain('cut a hotfix (2026.4.1)');
    expect(refusal.hint).toBe('rc 2026.4.1-rc.1 hotfix');
  });

  it.each(['ftp://notes.example/x', 'release notes', 'javascript:alert(1)'])('refuses a notes link that is not http(s): %p', (url) => {
    const refusal = refused(act(undefined, jake, cut(1, { notesUrl: url })));
    expect(refusal.code).toBe('invalid-input');
    expect(refusal.reason).toContain(`“${url}” is not a web link`);
    expect(refusal.hint).toBe('rc 2026.4.0-rc.1');
  });

  it.each([0, -1, 1.5])('refuses rc number %p', (rc) => {
    const refusal = refused(act(undefined, jake, cut(rc)));
    expect(refusal.code).toBe('invalid-input');
    expect(refusal.reason).toContain('RCs are numbered from rc.1');
  });
});

describe('recordQa (runbook 1.3)', () => {
  const qa = (rc: number, result: 'pass' | 'fail' = 'pass', summary = 'https://ci.example/run/42'): ReleaseCommand => ({
    type: 'recordQa',
    rc,
    result,
    summary,
  });

  it('records the QA lead’s result on the RC', () => {
    const outcome = accepted(act(given([[jake, cut(1)]]), rafaella, qa(1, 'pass', '  all 312 green  ')));
    expect(outcome.events).toEqual([
      { type: 'qaRecorded', rc: 1, result: 'pass', summary: 'all 312 green', by: rafaella.id, at: LATER.toISOString() },
    ]);
    expect(currentRc(outcome.state)?.qa).toEqual({ result: 'pass', summary: 'all 312 green', by: rafaella.id, at: LATER.toISOString() });
  });

  it('a re-run replaces the previous result with a new event', () => {
    const state = given([[jake, cut(1)], [rafaella, qa(1, 'fail', 'login flaky')]]);
    const outcome = accepted(act(state, rafaella, qa(1, 'pass', 're-run green')));
    expect(outcome.events).toHaveLength(1);
    expect(outcome.state.revision).toBe(state.revision + 1);
    expect(currentRc(outcome.state)?.qa).toEqual(expect.objectContaining({ result: 'pass', summary: 're-run green' }));
  });

  it('refuses anyone but the QA lead, naming her', () => {
    const refusal = refused(act(given([[jake, cut(1)]]), luis, qa(1)));
    expect(refusal.code).toBe('not-allowed');
    expect(refusal.reason).toBe('Only the QA lead can record QA results for 2026.4.0 — ask Rafaella Barrocas.');
  });

  it('refuses a superseded RC, naming the current one', () => {
    const refusal = refused(act(twoRcs(), rafaella, qa(1, 'fail')));
    expect(refusal.code).toBe('rc-not-current');
    expect(refusal.reason).toBe('rc.1 was superseded by rc.2 — record QA for rc.2 instead.');
    expect(refusal.hint).toBe('qa fail rc.2 <summary or link>');
  });

  it('refuses an unknown RC, naming the current one', () => {
    const refusal = refused(act(twoRcs(), rafaella, qa(9)));
    expect(refusal.code).toBe('unknown-rc');
    expect(refusal.reason).toBe('2026.4.0 has no rc.9; the current RC is rc.2.');
    expect(refusal.hint).toBe('qa pass rc.2 <summary or link>');
  });

  it('needs a summary or link', () => {
    const refusal = refused(act(given([[jake, cut(1)]]), rafaella, qa(1, 'pass', '   ')));
    expect(refusal.code).toBe('missing-input');
    expect(refusal.reason).toContain('rc.1 need a link or a short summary');
    expect(refusal.hint).toBe('qa pass rc.1 <summary or link>');
  });

  it('refuses after promotion', () => {
    const refusal = refused(act(promoted(), rafaella, qa(1)));
    expect(refusal.code).toBe('already-promoted');
    expect(refusal.hint).toBe('status 2026.4.0');
  });
});

describe('approve (runbook 2.1)', () => {
  const approve = (rc: number, area?: string): ReleaseCommand => ({ type: 'approve', rc, ...(area ? { area } : {}) });

  it('records the approval for the lead’s area', () => {
    const outcome = accepted(act(given([[jake, cut(1)]]), luis, approve(1)));
    expect(outcome.events).toEqual([{ type: 'approved', rc: 1, area: 'product', by: luis.id, at: LATER.toISOString() }]);
    expect(currentRc(outcome.state)?.decisions).toEqual({ product: { decision: 'approved', by: luis.id, at: LATER.toISOString() } });
    expect(approvalProgress(outcome.state, 1, leads)).toEqual({
      approved: ['product'],
      rejected: [],
      pending: ['qa', 'daml', 'stream', 'platform'],
    });
  });

  it.each(['qa', 'QA', ' Qa '])('accepts an explicit area the person leads (%p)', (area) => {
    const outcome = accepted(act(given([[jake, cut(1)]]), rafaella, approve(1, area)));
    expect(outcome.events[0]).toEqual(expect.objectContaining({ area: 'qa' }));
  });

  it('refuses someone who leads no area, listing the leads', () => {
    const refusal = refused(act(given([[jake, cut(1)]]), outsider, approve(1)));
    expect(refusal.code).toBe('not-allowed');
    expect(refusal.reason).toBe(
      "Only an area's lead can approve an RC of 2026.4.0, and you lead no area. " +
        'Leads: Product: Luis Garcia, QA: Rafaella Barrocas, DAML: Steven Inouye, Stream: Bosko Kocev, Platform: Jake Edgington.',
    );
    expect(refusal.hint).toBe('status 2026.4.0');
  });

  it('refuses an area the person does not lead, naming its lead', () => {
    const refusal = refused(act(given([[jake, cut(1)]]), luis, approve(1, 'qa')));
    expect(refusal.code).toBe('not-allowed');
    expect(refusal.reason).toBe('QA is decided by its lead, Rafaella Barrocas; you lead Product.');
    expect(refusal.hint).toBe('approve rc.1');
  });

  it('refuses an area that does not exist', () => {
    const refusal = refused(act(given([[jake, cut(1)]]), luis, approve(1, 'security')));
    expect(refusal.code).toBe('invalid-input');
    expect(refusal.reason).toContain('There is no area called “security”');
    expect(refusal.reason).toContain('Product, QA, DAML, Stream and Platform');
  });

  it('refuses approving twice, saying when', () => {
    const state = given([[jake, cut(1)], [luis, approve(1)]]);
    const refusal = refused(act(state, luis, approve(1)));
    expect(refusal.code).toBe('already-decided');
    expect(refusal.reason).toBe('You already approved rc.1 for Product on 2026-04-10 14:01 UTC.');
    expect(refusal.hint).toBe('status 2026.4.0');
  });

  it('says when in the configured time zone when it has one', () => {
    const state = given([[jake, cut(1)], [luis, approve(1)]]);
    const refusal = refused(decideRelease(approve(1), state, { actor: luis, now: LATER, directory: leads, version: VERSION, timeZone: 'America/New_York' }));
    expect(refusal.reason).toBe('You already approved rc.1 for Product on Fri 10 Apr 2026, 10:01 EDT.');
  });

  it('refuses while the lead’s own rejection stands, hinting to revoke first', () => {
    const state = given([[jake, cut(1)], [rafaella, { type: 'reject', rc: 1, reason: 'login broken' }]]);
    const refusal = refused(act(state, rafaella, approve(1)));
    expect(refusal.code).toBe('rejected-blocks');
    expect(refusal.reason).toBe(
      'Your rejection of rc.1 for QA stands (“login broken”, 2026-04-10 14:01 UTC). Revoke it first, then approve.',
    );
    expect(refusal.hint).toBe('revoke rc.1');
  });

  it('refuses a superseded RC: approve the current one instead', () => {
    const refusal = refused(act(twoRcs(), luis, approve(1)));
    expect(refusal.code).toBe('rc-not-current');
    expect(refusal.reason).toBe('rc.1 was superseded by rc.2 — approve rc.2 instead.');
    expect(refusal.hint).toBe('approve rc.2');
  });

  it('refuses an unknown RC, naming the current one', () => {
    const refusal = refused(act(twoRcs(), luis, approve(5)));
    expect(refusal.code).toBe('unknown-rc');
    expect(refusal.reason).toBe('2026.4.0 has no rc.5; the current RC is rc.2.');
    expect(refusal.hint).toBe('approve rc.2');
  });

  it('refuses after promotion, saying from which RC and by whom', () => {
    const refusal = refused(act(promoted(), luis, approve(1)));
    expect(refusal.code).toBe('already-promoted');
    expect(refusal.reason).toContain('2026.4.0 was already promoted from rc.1 by Jake Edgington');
  });

  it('an approval counts only for its RC', () => {
    const state = given([[jake, cut(1)], [luis, approve(1)], [jake, cut(2)]]);
    expect(approvalProgress(state, 2, leads).approved).toEqual([]);
    expect(accepted(act(state, luis, approve(2))).events[0]).toEqual(expect.objectContaining({ rc: 2, area: 'product' }));
  });
});

describe('reject', () => {
  const reject = (rc: number, reason = 'login broken'): ReleaseCommand => ({ type: 'reject', rc, reason });

  it('records the rejection with its reason', () => {
    const outcome = accepted(act(given([[jake, cut(1)]]), bosko, reject(1, '  stream lag  ')));
    expect(outcome.events).toEqual([{ type: 'rejected', rc: 1, area: 'stream', reason: 'stream lag', by: bosko.id, at: LATER.toISOString() }]);
    expect(approvalProgress(outcome.state, 1, leads).rejected).toEqual(['stream']);
    expect(canPromote(outcome.state, leads)).toBe(false);
  });

  it('needs a reason', () => {
    const refusal = refused(act(given([[jake, cut(1)]]), bosko, reject(1, ' ')));
    expect(refusal.code).toBe('missing-input');
    expect(refusal.reason).toContain('A rejection of rc.1 needs a reason');
    expect(refusal.hint).toBe('reject rc.1 <reason>');
  });

  it('refuses rejecting twice, quoting the standing reason', () => {
    const state = given([[jake, cut(1)], [bosko, reject(1, 'stream lag')]]);
    const refusal = refused(act(state, bosko, reject(1, 'still lagging')));
    expect(refusal.code).toBe('already-decided');
    expect(refusal.reason).toContain('You already rejected rc.1 for Stream on 2026-04-10 14:01 UTC (“stream lag”)');
    expect(refusal.hint).toBe('revoke rc.1');
  });

  it('refuses rejecting after approving: revoke first', () => {
    const state = given([[jake, cut(1)], [bosko, { type: 'approve', rc: 1 }]]);
    const refusal = refused(act(state, bosko, reject(1)));
    expect(refusal.code).toBe('already-decided');
    expect(refusal.reason).toBe(
      'You approved rc.1 for Stream on 2026-04-10 14:01 UTC. To reject it, revoke that approval first, then reject.',
    );
    expect(refusal.hint).toBe('revoke rc.1');
  });

  it('refuses a superseded RC', () => {
    const refusal = refused(act(twoRcs(), bosko, reject(1)));
    expect(refusal.code).toBe('rc-not-current');
    expect(refusal.reason).toBe('rc.1 was superseded by rc.2 — reject rc.2 instead.');
    expect(refusal.hint).toBe('reject rc.2 <reason>');
  });

  it('refuses a non-lead', () => {
    expect(refused(act(given([[jake, cut(1)]]), outsider, reject(1))).code).toBe('not-allowed');
  });

  it('a new RC lifts the rejection', () => {
    const state = given([[jake, cut(1)], [bosko, reject(1)], [jake, cut(2)]]);
    expect(approvalProgress(state, 2, leads).rejected).toEqual([]);
    expect(waitingLines(state, { directory: leads }).join('\n')).not.toContain('rejected');
  });
});

describe('revoke', () => {
  const revoke: ReleaseCommand = { type: 'revoke', rc: 1 };

  it('removes the lead’s approval, after which they can reject', () => {
    const state = given([[jake, cut(1)], [steven, { type: 'approve', rc: 1 }]]);
    const outcome = accepted(act(state, steven, revoke));
    expect(outcome.events).toEqual([
      { type: 'revoked', rc: 1, area: 'daml', revokedDecision: 'approved', by: steven.id, at: LATER.toISOString() },
    ]);
    expect(currentRc(outcome.state)?.decisions).toEqual({});
    expect(accepted(act(outcome.state, steven, { type: 'reject', rc: 1, reason: 'migration fails' })).events[0].type).toBe('rejected');
  });

  it('removes a rejection, unblocking approval', () => {
    const state = given([[jake, cut(1)], [steven, { type: 'reject', rc: 1, reason: 'migration fails' }]]);
    const outcome = accepted(act(state, steven, revoke));
    expect(outcome.events[0]).toEqual(expect.objectContaining({ revokedDecision: 'rejected' }));
    expect(accepted(act(outcome.state, steven, { type: 'approve', rc: 1 })).events[0].type).toBe('approved');
  });

  it('refuses when there is nothing to revoke', () => {
    const refusal = refused(act(given([[jake, cut(1)]]), steven, revoke));
    expect(refusal.code).toBe('nothing-to-revoke');
    expect(refusal.reason).toBe('There is no approval or rejection of rc.1 for DAML to revoke.');
    expect(refusal.hint).toBe('approve rc.1');
  });

  it('refuses a superseded RC: its decisions are already void', () => {
    const state = given([[jake, cut(1)], [steven, { type: 'approve', rc: 1 }], [jake, cut(2)]]);
    const refusal = refused(act(state, steven, revoke));
    expect(refusal.code).toBe('rc-not-current');
    expect(refusal.reason).toContain('rc.1 was superseded by rc.2, which voided every approval and rejection on rc.1');
  });

  it('refuses a non-lead', () => {
    expect(refused(act(given([[jake, cut(1)]]), outsider, revoke)).code).toBe('not-allowed');
  });
});

describe('one person leading two areas', () => {
  const base = () => given([[jake, cut(1)]], doubleHatted);
  const run = (state: ReleaseState, command: ReleaseCommand) => act(state, luis, command, doubleHatted);

  it('must say which area', () => {
    const refusal = refused(run(base(), { type: 'approve', rc: 1 }));
    expect(refusal.code).toBe('area-ambiguous');
    expect(refusal.reason).toBe('You lead Product and QA; say which area you approve rc.1 for (one person fills one area per RC).');
    expect(refusal.hint).toBe('approve rc.1 for product');
    expect(refused(run(base(), { type: 'reject', rc: 1, reason: 'x' })).hint).toBe('reject rc.1 for product <reason>');
  });

  it('fills at most one area per RC', () => {
    const state = accepted(run(base(), { type: 'approve', rc: 1, area: 'qa' })).state;
    for (const command of [
      { type: 'approve', rc: 1, area: 'product' },
      { type: 'reject', rc: 1, area: 'product', reason: 'no' },
    ] as const) {
      const refusal = refused(run(state, command));
      expect(refusal.code).toBe('area-taken');
      expect(refusal.reason).toContain('You already approved rc.1 for QA; one person fills at most one area per RC');
      expect(refusal.hint).toBe('revoke rc.1 for qa');
    }
  });

  it('after deciding one area, a bare command means that area', () => {
    const state = accepted(run(base(), { type: 'approve', rc: 1, area: 'qa' })).state;
    expect(refused(run(state, { type: 'approve', rc: 1 })).code).toBe('already-decided');
    const revoked = accepted(run(state, { type: 'revoke', rc: 1 }));
    expect(revoked.events[0]).toEqual(expect.objectContaining({ type: 'revoked', area: 'qa' }));
    expect(accepted(run(revoked.state, { type: 'approve', rc: 1, area: 'product' })).events[0]).toEqual(
      expect.objectContaining({ area: 'product' }),
    );
  });

  it('a bare revoke with no decision has nothing to revoke', () => {
    const refusal = refused(run(base(), { type: 'revoke', rc: 1 }));
    expect(refusal.code).toBe('nothing-to-revoke');
    expect(refusal.reason).toBe('You have no approval or rejection of rc.1 to revoke.');
  });

  it('hints with the area when revoke is needed', () => {
    const state = accepted(run(base(), { type: 'reject', rc: 1, area: 'product', reason: 'copy wrong' })).state;
    expect(refused(run(state, { type: 'approve', rc: 1, area: 'product' })).hint).toBe('revoke rc.1 for product');
  });

  it('status explains why the second area cannot be filled, and promotion says the same', () => {
    const state = given(
      [
        [jake, cut(1)],
        [luis, { type: 'approve', rc: 1, area: 'product' }],
        [jake, { type: 'approve', rc: 1 }],
      ],
      doubleHatted,
    );
    expect(waitingLines(state, { directory: doubleHatted })).toEqual([
      'waiting for rc.1 approval from QA (Luis Garcia already decided Product on rc.1, so QA needs another lead)',
    ]);
    expect(canPromote(state, doubleHatted)).toBe(false);
    const refusal = refused(act(state, jake, { type: 'promote', rc: 1 }, doubleHatted));
    expect(refusal.code).toBe('approvals-missing');
    expect(refusal.reason).toContain('QA needs another lead');
  });
});

describe('promote (runbook 2.2)', () => {
  const allApproved = () => given([[jake, cut(1)], ...allApprove(1)]);

  it('promotes the approved current RC with the RC’s notes link', () => {
    const state = allApproved();
    expect(canPromote(state, leads)).toBe(true);
    expect(waitingLines(state, { directory: leads })).toEqual(['promotion of rc.1 by the Platform team (Jake Edgington)']);
    const outcome = accepted(act(state, jake, { type: 'promote', rc: 1 }));
    const notesUrl = 'https://github.com/lendos/lendos/releases/tag/2026.4.0-rc.1';
    expect(outcome.events).toEqual([{ type: 'promoted', rc: 1, notesUrl, by: jake.id, at: LATER.toISOString() }]);
    expect(outcome.state.promotion).toEqual({ rc: 1, by: jake.id, at: LATER.toISOString(), notesUrl });
    expect(currentRc(outcome.state)?.status).toBe('promoted');
    expect(canPromote(outcome.state, leads)).toBe(false);
    expect(waitingLines(outcome.state, { directory: leads })).toEqual([]);
  });

  it('prefers the link given with the command', () => {
    const outcome = accepted(act(allApproved(), jake, { type: 'promote', rc: 1, notesUrl: 'http://notes.example/2026.4.0' }));
    expect(outcome.state.promotion?.notesUrl).toBe('http://notes.example/2026.4.0');
  });

  it('needs a notes link when the RC has none', () => {
    const state = given([[jake, cut(1, { notesUrl: undefined })], ...allApprove(1)]);
    const refusal = refused(act(state, jake, { type: 'promote', rc: 1 }));
    expect(refusal.code).toBe('missing-input');
    expect(refusal.reason).toContain('Promotion needs a release-notes link, and rc.1 was cut without one');
    expect(refusal.hint).toBe('promote rc.1 https://…');
  });

  it('refuses a notes link that is not http(s)', () => {
    const refusal = refused(act(allApproved(), jake, { type: 'promote', rc: 1, notesUrl: 'notes.md' }));
    expect(refusal.code).toBe('invalid-input');
    expect(refusal.reason).toBe('“notes.md” is not a web link; release notes need an http(s) URL.');
    expect(refusal.hint).toBe('promote rc.1 https://…');
  });

  it('names exactly which areas and leads are still awaited', () => {
    const state = given([[jake, cut(1)], ...allApprove(1).slice(0, 3)]);
    const refusal = refused(act(state, jake, { type: 'promote', rc: 1 }));
    expect(refusal.code).toBe('approvals-missing');
    expect(refusal.reason).toBe("rc.1 can't be promoted yet: waiting for rc.1 approval from Stream (Bosko Kocev) and Platform (Jake Edgington).");
    expect(refusal.hint).toBe('status 2026.4.0');
  });

  it('names who rejected and why', () => {
    const state = given([
      [jake, cut(1)],
      ...allApprove(1).filter(([lead]) => lead !== rafaella),
      [rafaella, { type: 'reject', rc: 1, reason: 'login broken' }],
    ]);
    const refusal = refused(act(state, jake, { type: 'promote', rc: 1 }));
    expect(refusal.code).toBe('approvals-missing');
    expect(refusal.reason).toBe(
      "rc.1 can't be promoted yet: QA rejected rc.1 (Rafaella Barrocas: “login broken”) — blocks until revoked or a new RC is cut.",
    );
    expect(waitingLines(state, { directory: leads })).toEqual([
      'QA rejected rc.1 (Rafaella Barrocas: “login broken”) — blocks until revoked or a new RC is cut',
    ]);
  });

  it('refuses anyone outside the Platform team', () => {
    const refusal = refused(act(allApproved(), luis, { type: 'promote', rc: 1 }));
    expect(refusal.code).toBe('not-allowed');
    expect(refusal.reason).toContain('Only the Platform team can promote an RC of 2026.4.0 — ask Jake Edgington.');
  });

  it('promotes a release once', () => {
    const refusal = refused(act(promoted(), jake, { type: 'promote', rc: 1 }));
    expect(refusal.code).toBe('already-promoted');
    expect(refusal.reason).toContain('a release is promoted once');
  });

  it('refuses a superseded RC even if it had all approvals', () => {
    const state = given([[jake, cut(1)], ...allApprove(1), [jake, cut(2)]]);
    const refusal = refused(act(state, jake, { type: 'promote', rc: 1 }));
    expect(refusal.code).toBe('rc-not-current');
    expect(refusal.reason).toBe('rc.1 was superseded by rc.2 — promote rc.2 instead.');
    expect(refusal.hint).toBe('promote rc.2');
  });

  it('runs the same lifecycle for a hotfix RC', () => {
    const state = given([[jake, cut(1, {}, true)], ...allApprove(1), [jake, { type: 'promote', rc: 1 }]]);
    expect(state.promotion?.rc).toBe(1);
    expect(currentRc(state)).toEqual(expect.objectContaining({ hotfix: true, status: 'promoted' }));
  });
});

describe('rebuilding state from events', () => {
  const history = (): ReleaseEvent[] => {
    const commands: Array<readonly [Actor, ReleaseCommand]> = [
      [jake, cut(1)],
      [luis, { type: 'approve', rc: 1 }],
      [rafaella, { type: 'recordQa', rc: 1, result: 'fail', summary: 'login broken' }],
      [rafaella, { type: 'reject', rc: 1, reason: 'login broken' }],
      [jake, cut(2)],
      ...allApprove(2),
      [steven, { type: 'revoke', rc: 2 }],
      [steven, { type: 'approve', rc: 2 }],
      [jake, { type: 'promote', rc: 2 }],
    ];
    const events: ReleaseEvent[] = [];
    commands.reduce<ReleaseState | undefined>((state, [actor, command], i) => {
      const outcome = accepted(decideRelease(command, state, { actor, now: minutesAfter(i), directory: leads, version: VERSION }));
      events.push(...outcome.events);
      return outcome.state;
    }, undefined);
    return events;
  };

  it('evolve reproduces the state decide returned, with one revision per event', () => {
    const events = history();
    const rebuilt = replay(VERSION, events);
    expect(rebuilt.revision).toBe(events.length);
    expect(rebuilt.promotion).toEqual(expect.objectContaining({ rc: 2, by: jake.id }));
    expect(rebuilt.rcs.map((rc) => [rc.number, rc.status, rc.supersededBy])).toEqual([
      [1, 'superseded', 2],
      [2, 'promoted', undefined],
    ]);
    // rc.1 keeps its (void) decisions for the audit trail; rc.2 has all five.
    expect(approvalProgress(rebuilt, 1, leads)).toEqual({ approved: ['product'], rejected: ['qa'], pending: ['daml', 'stream', 'platform'] });
    expect(approvalProgress(rebuilt, 2, leads).approved).toHaveLength(5);
  });

  it('apply bumps the revision by one', () => {
    const state = replay(VERSION, history().slice(0, 3));
    expect(evolve(state, { type: 'approved', rc: 1, area: 'daml', by: steven.id, at: T0.toISOString() }).revision).toBe(4);
  });

  it('never mutates the state it is given', () => {
    const state = deepFreeze(given([[jake, cut(1)], [luis, { type: 'approve', rc: 1 }]]));
    const snapshot = JSON.stringify(state);
    accepted(act(state, luis, { type: 'revoke', rc: 1 }));
    accepted(act(state, jake, cut(2)));
    expect(JSON.stringify(state)).toBe(snapshot);
  });

  it('holds for any sequence of commands: accepted events rebuild the state, one open RC at most', () => {
    const actor = fc.constantFrom(luis, rafaella, steven, bosko, jake, outsider);
    const rc = fc.integer({ min: 1, max: 4 });
    const command: fc.Arbitrary<ReleaseCommand> = fc.oneof(
      rc.map((n) => cut(n)),
      fc.record({ type: fc.constant('recordQa' as const), rc, result: fc.constantFrom('pass' as const, 'fail' as const), summary: fc.constantFrom('', 'ok') }),
      fc.record({ type: fc.constant('approve' as const), rc }),
      fc.record({ type: fc.constant('reject' as const), rc, reason: fc.constantFrom('', 'bad') }),
      fc.record({ type: fc.constant('revoke' as const), rc }),
      fc.record({ type: fc.constant('promote' as const), rc }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(actor, command), { maxLength: 40 }), (steps) => {
        let state: ReleaseState | undefined;
        const events: ReleaseEvent[] = [];
        steps.forEach(([who, cmd], i) => {
          const outcome = decideRelease(cmd, state, { actor: who, now: minutesAfter(i), directory: leads, version: VERSION });
          if (outcome.kind === 'refusal') {
            expect(outcome.reason.length).toBeGreaterThan(0);
            return;
          }
          events.push(...outcome.events);
          state = outcome.state;
        });
        if (!state) return;
        expect(replay(VERSION, events)).toEqual(state);
        expect(state.revision).toBe(events.length);
        expect(state.rcs.filter((r) => r.status === 'open').length).toBeLessThanOrEqual(1);
        if (state.promotion) expect(approvalProgress(state, state.promotion.rc, leads).approved).toHaveLength(5);
      }),
      { numRuns: 300 },
    );
  });
});

describe('queries', () => {
  it('answer sensibly with no state', () => {
    expect(currentRc(undefined)).toBeUndefined();
    expect(canPromote(undefined, leads)).toBe(false);
    expect(approvalProgress(undefined, 1, leads).pending).toEqual(['product', 'qa', 'daml', 'stream', 'platform']);
    expect(waitingLines(undefined, { directory: leads })).toEqual(['the first RC, cut by the Platform team (Jake Edgington)']);
  });

  it('waitingOn names every lead still to approve', () => {
    const state = given([[jake, cut(1)], [luis, { type: 'approve', rc: 1 }]]);
    expect(waitingLines(state, { directory: leads })).toEqual([
      'waiting for rc.1 approval from QA (Rafaella Barrocas), DAML (Steven Inouye), Stream (Bosko Kocev) and Platform (Jake Edgington)',
    ]);
  });
});

describe('createDirectory', () => {
  const directory = createDirectory({
    areas: [
      { key: 'product', name: 'Product', leadId: 'a' },
      { key: 'qa', name: 'QA', leadId: 'b' },
    ],
    platform: ['p1', 'p2'],
    qaLead: 'b',
    irc: ['i'],
    names: { a: 'Ann', b: 'Bea' },
  });

  it('answers role questions by id', () => {
    expect(directory.areasLedBy('a')).toEqual(['product']);
    expect(directory.areasLedBy('nobody')).toEqual([]);
    expect([directory.isPlatform('p2'), directory.isPlatform('a')]).toEqual([true, false]);
    expect([directory.isQaLead('b'), directory.isQaLead('a')]).toEqual([true, false]);
    expect([directory.isIrc('i'), directory.isIrc('p1')]).toEqual([true, false]);
    expect(directory.peopleWith?.('platform')).toEqual(['p1', 'p2']);
    expect(directory.areas.map((area) => area.key)).toEqual(['product', 'qa']);
  });

  it('falls back to the id for unknown names, including Object.prototype keys', () => {
    expect(directory.nameOf('a')).toBe('Ann');
    expect(directory.nameOf('zz')).toBe('zz');
    expect(directory.nameOf('constructor')).toBe('constructor');
  });

  it('lists two areas for someone leading both', () => {
    expect(doubleHatted.areasLedBy(luis.id)).toEqual(['product', 'qa']);
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
