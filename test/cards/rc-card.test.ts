import fc from 'fast-check';
import { AreaDecision, ReleaseState, RcStatus } from '../../src/domain/types';
import { rcCardData } from '../../src/cards/rc-card';
import { actionsFor } from '../../src/domain/release-actions';
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
const NOW = new Date('2026-04-15T14:00:00Z');
const everyone = Object.values(ids);
/** The base card everyone sees. */
const renderRc = (state: ReleaseState, rc = 3, extra: { threadUrl?: string } = {}) =>
  render('rc', rcCardData(state, rc, { ...view, ...extra, people: everyone, now: NOW }));
/** One person's view: their buttons, as the domain says (what a refresh or their click is answered with). */
const renderFor = (person: string, state: ReleaseState, rc = 3) =>
  render('rc', rcCardData(state, rc, { ...view, people: everyone, now: NOW, viewer: { actions: actionsFor(state, rc, person, directory, NOW) } }));

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

  it('the base card acts for nobody: it says what it waits for, offers "Show my actions", and refreshes for those who can act', () => {
    expect(actionTitles(card)).toEqual(['Show my actions']);
    expect(byId(card, 'my-actions')).toMatchObject({ type: 'Action.Execute', verb: 'refreshRc', data: { verb: 'refreshRc', ...ref(awaitingState) } });
    expect(texts(byId(card, 'waiting'))).toEqual(['⏳ Waiting for rc.3 approval from QA (Rafaella Barrocas) and Platform (Jake Edgington)']);
    expect(card.refresh).toEqual({
      action: { type: 'Action.Execute', title: 'Show my actions', verb: 'refreshRc', data: { verb: 'refreshRc', ...ref(awaitingState) } },
      // Rafaella and Jake can approve (and Rafaella record QA); the three who approved can revoke.
      userIds: [ids.rafaella, ids.jake, ids.luis, ids.steven, ids.bosko].map((id) => `8:orgid:${id}`),
    });
  });

  it("a pending lead's view: Approve and Reject (with a required reason), nothing else", () => {
    const card = renderFor(ids.jake, awaitingState);
    expectValid(card);
    expect(actionTitles(card)).toEqual(['Approve', 'Reject', 'Reject rc.3']);
    const data = ref(awaitingState);
    expect(byId(card, 'approve')).toMatchObject({
      type: 'Action.Execute',
      verb: 'approve',
      associatedInputs: 'none',
      data: { verb: 'approve', ...data },
    });
    expect(byId(renderFor(ids.luis, awaitingState), 'revoke')).toMatchObject({ type: 'Action.Execute', verb: 'revoke', data: { verb: 'revoke', ...data } });
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

  it("a lead who decided sees Revoke; the QA lead sees the QA actions asking for a summary; someone with no role, a note", () => {
    expect(actionTitles(renderFor(ids.luis, awaitingState))).toEqual(['Revoke']);
    const qaLead = renderFor(ids.rafaella, awaitingState);
    expectValid(qaLead);
    expect(actionTitles(qaLead)).toEqual(['Approve', 'Reject', 'Reject rc.3', 'QA pass', 'Record QA pass', 'QA fail', 'Record QA fail']);
    expect(byId(qaLead, 'qaPassSummary')).toMatchObject({ type: 'Input.Text', isRequired: true });
    expect(byId(qaLead, 'qa-fail-confirm')).toMatchObject({ type: 'Action.Execute', verb: 'qaFail', data: { verb: 'qaFail', ...ref(awaitingState) } });
    const stranger = renderFor('someone-else', awaitingState);
    expect(actionTitles(stranger)).toEqual(['Show my actions']);
    expect(byId(stranger, 'viewer-note').text).toBe('Nothing on rc.3 waits for you now.');
    expect(() => byId(card, 'viewer-note')).toThrow();
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
    expect(texts(byId(card, 'waiting'))).toEqual([
      '⏳ QA rejected rc.3 (Rafaella Barrocas: “login fails on Safari”) — blocks until revoked or a new RC is cut',
      '⏳ Waiting for rc.3 approval from DAML (Steven Inouye), Stream (Bosko Kocev) and Platform (Jake Edgington)',
    ]);
    expect(actionTitles(card)).toEqual(['Show my actions']);
    expect(actionTitles(renderFor(ids.rafaella, blockedState))).toEqual(['Revoke', 'QA pass', 'Record QA pass', 'QA fail', 'Record QA fail']);
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
    expect(actionTitles(card)).toEqual(['Show my actions']);
    expect(texts(byId(card, 'waiting'))).toEqual(['⏳ Promotion of rc.3 by the Platform team (Jake Edgington)']);
    // Platform (Jake) may promote — and revoke his own approval, from the overflow menu.
    const jake = renderFor(ids.jake, readyState);
    expectValid(jake);
    expect(actionTitles(jake)).toEqual(['Revoke', 'Promote']);
    expect(byId(jake, 'revoke').mode).toBe('secondary');
    expect(actionTitles(renderFor(ids.bosko, readyState))).toEqual(['Revoke']);
    expect((card.refresh as { userIds: string[] } | undefined)?.userIds[0]).toBe(`8:orgid:${ids.jake}`);
    expect(byId(jake, 'promote')).toMatchObject({
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
    expect(card.refresh).toBeUndefined();
    expect(() => byId(card, 'waiting')).toThrow();
    expect(actions(renderFor(ids.rafaella, supersededState))).toEqual([]);
  });

  it('the newer RC of the same release is open and counts from zero', () => {
    const card = renderRc(supersededState, 4);
    expect(byId(card, 'title').text).toBe('Release 2026.4.0-rc.4');
    expect(byId(card, 'status').text).toBe('⏳ Awaiting approvals — 0 of 5');
    expect(byId(renderFor(ids.luis, supersededState, 4), 'approve').data).toEqual({ verb: 'approve', release: '2026.4.0', rc: 4, revision: 16 });
    expect((card.refresh as { userIds: string[] } | undefined)?.userIds).toHaveLength(5);
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
        // The base card acts for nobody; it only offers each person their own view while the RC is open.
        expect(actions(card).map((a) => a.verb ?? a.type)).toEqual(open ? ['refreshRc'] : []);
        expect(directory.areas.every((a) => texts(byId(card, `approval-${a.key}`)).length === 3)).toBe(true);
        // Each person's view offers exactly what the rules accept from them (a reject's ShowCard carries the verb).
        for (const person of [...everyone, 'someone-else']) {
          const mine = renderFor(person, state);
          expectValid(mine);
          const verbs = new Set(actions(mine).map((a) => a.verb).filter((v) => v && v !== 'refreshRc'));
          expect([...verbs].sort()).toEqual([...actionsFor(state, 3, person, directory, NOW)].sort());
        }
        if (open) expect((card.refresh as { userIds: string[] } | undefined)?.userIds.length).toBeGreaterThan(0);
        else expect(card.refresh).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });
});
