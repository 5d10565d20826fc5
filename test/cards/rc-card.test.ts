import fc from 'fast-check';
import { AreaDecision, ReleaseState, RcStatus } from '../../src/domain/types';
import { rcCardData } from '../../src/cards/rc-card';
import { createCardRenderer } from '../../src/cards/render';
import { validateAdaptiveCard } from '../helpers/validate-card';
import { actions, actionTitles, byId, expectNoTemplateLeft, texts } from './card-query';
import {
  approved,
  awaitingState,
  blockedState,
  directory,
  hotfixState,
  ids,
  promotedState,
  rc3Base,
  readyState,
  rejected,
  supersededState,
  view,
} from './fixtures';

const render = createCardRenderer();
const renderRc = (state: ReleaseState, rc = 3, extra: { threadUrl?: string } = {}) =>
  render('rc', rcCardData(state, rc, { ...view, ...extra }));

const ref = (state: ReleaseState, rc = 3) => ({ release: state.version, rc, revision: state.revision });

function expectValid(card: unknown) {
  expect(validateAdaptiveCard(card)).toEqual([]);
  expectNoTemplateLeft(card);
}

function row(card: unknown, area: string): string[] {
  return texts(byId(card, `approval-${area}`));
}

describe('RC card: awaiting approvals', () => {
  const card = renderRc(awaitingState);

  it('is a valid Adaptive Card 1.5 with nothing left of the template', () => {
    expect(card.version).toBe('1.5');
    expectValid(card);
  });

  it('shows the thread title, status, who cut it and when', () => {
    expect(byId(card, 'title').text).toBe('Release 2026.4.0-rc.3');
    expect(() => byId(card, 'hotfix-badge')).toThrow();
    expect(byId(card, 'status').text).toBe('⏳ Awaiting approvals — 3 of 5');
    expect(byId(card, 'status-box').style).toBe('emphasis');
    expect(byId(card, 'cut').text).toBe('Cut by Jake Edgington · Tue 14 Apr 2026, 10:05 EDT');
    expect(card.fallbackText).toBe('Release 2026.4.0-rc.3: Awaiting approvals — 3 of 5');
  });

  it("shows what's in the RC, its notes and known issues", () => {
    expect(texts(byId(card, 'features'))).toEqual([
      'Features',
      '• Borrower portal: upload documents from mobile',
      '• Stream: replay from checkpoint',
    ]);
    expect(texts(byId(card, 'fixes'))).toEqual(['Fixes', '• Loan ledger rounding on partial payments']);
    expect(texts(byId(card, 'notes'))).toEqual(['[Release notes](https://github.com/lendos/lendos/releases/tag/2026.4.0-rc.3)']);
    expect(texts(byId(card, 'known-issues'))).toEqual(['Known issues', '• Safari 16 shows the upload dialog twice']);
  });

  it('shows the QA regression result, by whom and when', () => {
    expect(texts(byId(card, 'qa'))).toEqual([
      'QA regression',
      '✅ Passed — All 212 regression tests green',
      'Rafaella Barrocas · Tue 14 Apr 2026, 15:30 EDT',
    ]);
  });

  it('shows one row per area, in config order, with the lead and the decision', () => {
    expect(byId(card, 'approvals-title').text).toBe('Approvals — 3 of 5');
    expect(row(card, 'product')).toEqual(['✅', '**Product** · Luis Garcia', 'Approved · Tue 14 Apr 2026, 16:00 EDT']);
    expect(row(card, 'qa')).toEqual(['⏳', '**QA** · Rafaella Barrocas', 'Awaited']);
    expect(row(card, 'daml')).toEqual(['✅', '**DAML** · Steven Inouye', 'Approved · Tue 14 Apr 2026, 16:15 EDT']);
    expect(row(card, 'stream')).toEqual(['✅', '**Stream** · Bosko Kocev', 'Approved · Wed 15 Apr 2026, 09:00 EDT']);
    expect(row(card, 'platform')).toEqual(['⏳', '**Platform** · Jake Edgington', 'Awaited']);
    const order = texts(byId(card, 'approvals')).filter((t) => t.startsWith('**'));
    expect(order.map((t) => t.split('**')[1])).toEqual(['Product', 'QA', 'DAML', 'Stream', 'Platform']);
  });

  it('offers Approve, Reject (with a required reason) and Revoke, but not Promote', () => {
    expect(actionTitles(card)).toEqual(['Approve', 'Reject', 'Reject rc.3', 'Revoke']);
    const data = ref(awaitingState);
    expect(byId(card, 'approve')).toMatchObject({
      type: 'Action.Execute',
      verb: 'approve',
      associatedInputs: 'none',
      data: { verb: 'approve', ...data },
    });
    expect(byId(card, 'revoke')).toMatchObject({ type: 'Action.Execute', verb: 'revoke', data: { verb: 'revoke', ...data } });
    expect(byId(card, 'reject')).toMatchObject({ type: 'Action.ShowCard', title: 'Reject' });
    expect(byId(card, 'reason')).toMatchObject({
      type: 'Input.Text',
      label: 'Why reject rc.3?',
      isRequired: true,
      errorMessage: 'Give a reason: the team needs it to fix rc.3.',
    });
    expect(byId(card, 'reject-confirm')).toMatchObject({
      type: 'Action.Execute',
      title: 'Reject rc.3',
      verb: 'reject',
      style: 'destructive',
      data: { verb: 'reject', ...data },
    });
    // The card's data stays typed: rc and revision are numbers, not "3".
    expect(typeof (byId(card, 'approve').data as { rc: unknown }).rc).toBe('number');
    expect(typeof (byId(card, 'approve').data as { revision: unknown }).revision).toBe('number');
  });
});

describe('RC card: other states', () => {
  it('blocked by a rejection: names area and lead, shows the reason, no Promote', () => {
    const card = renderRc(blockedState);
    expectValid(card);
    expect(byId(card, 'status').text).toBe('⛔ Blocked — rejected by QA (Rafaella Barrocas)');
    expect(byId(card, 'status-box').style).toBe('attention');
    expect(row(card, 'qa')).toEqual(['❌', '**QA** · Rafaella Barrocas', 'Rejected: login fails on Safari · Tue 14 Apr 2026, 15:45 EDT']);
    expect(byId(card, 'qa-result').text).toBe('❌ Failed — [regression report](https://lendos.example/qa/runs/2026.4.0-rc.3)');
    expect(actionTitles(card)).toEqual(['Approve', 'Reject', 'Reject rc.3', 'Revoke']);
  });

  it('names every rejecting area', () => {
    const state: ReleaseState = {
      ...blockedState,
      rcs: [{ ...rc3Base, decisions: { qa: rejected(ids.rafaella, '2026-04-14T19:45:00Z', 'x'), daml: rejected(ids.steven, '2026-04-14T19:50:00Z', 'y') } }],
    };
    expect(byId(renderRc(state), 'status').text).toBe('⛔ Blocked — rejected by QA (Rafaella Barrocas), DAML (Steven Inouye)');
  });

  it('all five approved: "Ready to promote" and a Promote button carrying the RC', () => {
    const card = renderRc(readyState);
    expectValid(card);
    expect(byId(card, 'status').text).toBe('✅ Ready to promote');
    expect(byId(card, 'status-box').style).toBe('good');
    expect(byId(card, 'approvals-title').text).toBe('Approvals — 5 of 5');
    expect(actionTitles(card)).toEqual(['Approve', 'Reject', 'Reject rc.3', 'Revoke', 'Promote']);
    expect(byId(card, 'promote')).toMatchObject({
      type: 'Action.Execute',
      verb: 'promote',
      data: { verb: 'promote', release: '2026.4.0', rc: 3, revision: 15 },
    });
  });

  it('superseded: says so, marks the old decisions void and has no buttons at all', () => {
    const card = renderRc(supersededState);
    expectValid(card);
    expect(byId(card, 'status').text).toBe('⏸️ Superseded by rc.4 — approvals void');
    expect(byId(card, 'status-box').style).toBe('warning');
    expect(row(card, 'product')).toEqual(['✅', '**Product** · Luis Garcia', 'Approved · Tue 14 Apr 2026, 16:00 EDT (void)']);
    expect(row(card, 'qa')).toEqual(['—', '**QA** · Rafaella Barrocas', 'Not decided']);
    expect(actions(card)).toEqual([]);
  });

  it('the newer RC of the same release is open and counts from zero', () => {
    const card = renderRc(supersededState, 4);
    expect(byId(card, 'title').text).toBe('Release 2026.4.0-rc.4');
    expect(byId(card, 'status').text).toBe('⏳ Awaiting approvals — 0 of 5');
    expect(byId(card, 'approve').data).toEqual({ verb: 'approve', release: '2026.4.0', rc: 4, revision: 16 });
  });

  it('promoted: says to what, by whom and when, links the final notes, and has no buttons', () => {
    const card = renderRc(promotedState);
    expectValid(card);
    expect(byId(card, 'status').text).toBe('🚀 Promoted to 2026.4.0');
    expect(byId(card, 'status-box').style).toBe('good');
    expect(byId(card, 'promoted').text).toBe('Promoted by Jake Edgington · Wed 15 Apr 2026, 10:00 EDT');
    expect(texts(byId(card, 'notes'))).toEqual(['[Release notes](https://github.com/lendos/lendos/releases/tag/2026.4.0)']);
    expect(actions(card)).toEqual([]);
  });

  it('hotfix: HOTFIX badge; empty sections say so instead of rendering empty', () => {
    const card = renderRc(hotfixState, 1);
    expectValid(card);
    expect(byId(card, 'title').text).toBe('Release 2026.4.1-rc.1');
    expect(texts(byId(card, 'hotfix-badge'))).toEqual(['HOTFIX']);
    expect(() => byId(card, 'features')).toThrow();
    expect(texts(byId(card, 'fixes'))).toEqual(['Fixes', '• Payment webhook retries']);
    expect(texts(byId(card, 'notes'))).toEqual(['Release notes: not linked yet']);
    expect(texts(byId(card, 'known-issues'))).toEqual(['Known issues', 'None reported']);
    expect(texts(byId(card, 'qa'))).toEqual(['QA regression', "⏳ Pending — waiting for the QA lead's regression results"]);
    expect(card.fallbackText).toBe('Release 2026.4.1-rc.1 (hotfix): Awaiting approvals — 0 of 5');
  });

  it('links the release thread only when given one', () => {
    expect(() => byId(renderRc(awaitingState), 'thread-link')).toThrow();
    const url = 'https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/1713100000000';
    expect(byId(renderRc(awaitingState, 3, { threadUrl: url }), 'thread-link').text).toBe(`[Open the release thread](${url})`);
  });

  it('shows a notice to the person who clicked, above everything else, only when given', () => {
    expect(() => byId(renderRc(awaitingState), 'notice')).toThrow();
    const notice = 'Nothing changed: this card is for rc.3, which was superseded by rc.4.';
    const card = render('rc', rcCardData(supersededState, 3, { ...view, notice }));
    expectValid(card);
    expect(card.body![0]).toMatchObject({ id: 'notice', style: 'warning' });
    expect(texts(byId(card, 'notice'))).toEqual([notice]);
  });

  it('shows times in the configured zone', () => {
    const card = render('rc', rcCardData(awaitingState, 3, { directory, timeZone: 'Europe/Lisbon' }));
    expect(byId(card, 'cut').text).toBe('Cut by Jake Edgington · Tue 14 Apr 2026, 15:05 GMT+1');
  });

  it('refuses an RC the release does not have', () => {
    expect(() => rcCardData(awaitingState, 9, view)).toThrow('2026.4.0 has no rc.9');
  });
});

describe('RC card: any state', () => {
  const decision = fc.constantFrom<'none' | 'approved' | 'rejected'>('none', 'approved', 'rejected');
  const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('$'));
  const arbitraryState = fc.record({
    status: fc.constantFrom<RcStatus>('open', 'superseded', 'promoted'),
    hotfix: fc.boolean(),
    decisions: fc.tuple(decision, decision, decision, decision, decision),
    features: fc.array(text, { maxLength: 3 }),
    knownIssues: fc.array(text, { maxLength: 3 }),
    notes: fc.boolean(),
    qa: fc.option(fc.record({ result: fc.constantFrom<'pass' | 'fail'>('pass', 'fail'), summary: text })),
  });

  it('is always valid, fully expanded, and offers buttons exactly when the rules allow', () => {
    fc.assert(
      fc.property(arbitraryState, (s) => {
        const decisions: Record<string, AreaDecision> = {};
        directory.areas.forEach((area, i) => {
          const d = s.decisions[i];
          if (d === 'approved') decisions[area.key] = approved(area.leadId, '2026-04-14T20:00:00Z');
          if (d === 'rejected') decisions[area.key] = rejected(area.leadId, '2026-04-14T20:00:00Z', 'not ready');
        });
        const state: ReleaseState = {
          version: '2026.4.0',
          revision: 7,
          rcs: [
            {
              ...rc3Base,
              status: s.status,
              hotfix: s.hotfix,
              ...(s.status === 'superseded' ? { supersededBy: 4 } : {}),
              contents: { features: s.features, fixes: [], knownIssues: s.knownIssues, ...(s.notes ? { notesUrl: 'https://x.example/n' } : {}) },
              decisions,
              ...(s.qa ? { qa: { ...s.qa, by: ids.rafaella, at: '2026-04-14T19:00:00Z' } } : {}),
            },
          ],
          ...(s.status === 'promoted' ? { promotion: { rc: 3, by: ids.jake, at: '2026-04-15T14:00:00Z', notesUrl: 'https://x.example/final' } } : {}),
        };
        const card = renderRc(state);
        expectValid(card);
        const open = s.status === 'open';
        const verbs = actions(card).map((a) => a.verb ?? a.type);
        expect(verbs.includes('approve')).toBe(open);
        expect(verbs.includes('reject')).toBe(open);
        expect(verbs.includes('revoke')).toBe(open);
        expect(verbs.includes('promote')).toBe(open && s.decisions.every((d) => d === 'approved'));
        if (!open) expect(verbs).toEqual([]);
        expect(directory.areas.every((a) => texts(byId(card, `approval-${a.key}`)).length === 3)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
