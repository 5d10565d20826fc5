import { USAGE } from '../../src/commands/parse-command';
import { helpCardData, helpCommand } from '../../src/cards/help-card';
import { describeEvent, historyCardData } from '../../src/cards/history-card';
import { promotionCardData, promotionText } from '../../src/cards/promotion-card';
import { refusalCardData } from '../../src/cards/refusal-card';
import { createCardRenderer } from '../../src/cards/render';
import { statusCardData } from '../../src/cards/status-card';
import { replay } from '../../src/domain/release';
import { ReleaseEvent, ReleaseState } from '../../src/domain/types';
import { rcCardData } from '../../src/cards/rc-card';
import { validateAdaptiveCard } from '../helpers/validate-card';
import { actions, byId, expectNoTemplateLeft, nodes, texts } from './card-query';
import {
  awaitingState,
  blockedState,
  directory,
  ids,
  promotedState,
  readyState,
  supersededState,
  view,
} from './fixtures';

const render = createCardRenderer();

function expectValid(card: unknown) {
  expect(validateAdaptiveCard(card)).toEqual([]);
  expectNoTemplateLeft(card);
}

describe('promotion', () => {
  it('promotionText is the runbook line, its notes link named "Release notes"', () => {
    expect(promotionText('2026.4.0', 3, 'https://github.com/lendos/lendos/releases/tag/2026.4.0')).toBe(
      '2026.4.0-rc.3 promoted to 2026.4.0. [Release notes](https://github.com/lendos/lendos/releases/tag/2026.4.0)',
    );
  });

  it('the rich card carries the same line, who promoted and when, and a notes button', () => {
    const card = render('promotion', promotionCardData(promotedState, view));
    expectValid(card);
    expect(byId(card, 'title').text).toBe('🚀 2026.4.0-rc.3 promoted to 2026.4.0');
    expect(byId(card, 'text').text).toBe(
      '2026.4.0-rc.3 promoted to 2026.4.0. [Release notes](https://github.com/lendos/lendos/releases/tag/2026.4.0)',
    );
    expect(byId(card, 'promoted').text).toBe('Promoted by Jake Edgington · Wed 15 Apr 2026, 10:00 EDT');
    expect(actions(card)).toEqual([
      { type: 'Action.OpenUrl', id: 'notes', title: 'Release notes', url: 'https://github.com/lendos/lendos/releases/tag/2026.4.0' },
    ]);
    expect(card.fallbackText).toBe('2026.4.0-rc.3 promoted to 2026.4.0. Release notes: https://github.com/lendos/lendos/releases/tag/2026.4.0');
    expect(card.speak).toBe('2026.4.0-rc.3 promoted to 2026.4.0.');
  });

  it('needs a promoted release', () => {
    expect(() => promotionCardData(readyState, view)).toThrow('2026.4.0 has not been promoted');
  });
});

describe('refusal', () => {
  it('says it cannot, why, and what to type instead', () => {
    const card = render(
      'refusal',
      refusalCardData({
        reason: 'Only the QA lead approves for QA, and that is Rafaella Barrocas.',
        hint: 'Ask Rafaella Barrocas to approve rc.3, or approve for your own area.',
      }),
    );
    expectValid(card);
    expect(texts(card)).toEqual([
      "🚫 Can't do that",
      'Only the QA lead approves for QA, and that is Rafaella Barrocas.',
      'What to do instead',
      'Ask Rafaella Barrocas to approve rc.3, or approve for your own area.',
    ]);
    expect(actions(card)).toEqual([]);
  });

  it('leaves the hint out when there is none', () => {
    const card = render('refusal', refusalCardData({ reason: 'rc.3 was already promoted.' }));
    expectValid(card);
    expect(texts(card)).toEqual(["🚫 Can't do that", 'rc.3 was already promoted.']);
  });
});

describe('help', () => {
  const namesFor = (...roles: string[]) =>
    Object.values(USAGE)
      .filter((u) => u.roles.some((role) => roles.includes(role)))
      .map((u) => u.name);
  /** The card as it opens: everything but the hidden "Show all commands" part. */
  const shownAtFirst = (card: unknown) => texts({ ...(card as object), body: (card as { body: { id?: string }[] }).body.filter((n) => n.id !== 'all-commands') });

  it("lists a lead who is also QA lead's commands first, each once, with syntax, description and example", () => {
    const data = helpCardData({ id: ids.rafaella, name: 'Rafaella B.' }, directory);
    expect(data.name).toBe('Rafaella Barrocas');
    expect(data.roles).toEqual(['Lead approver for QA', 'QA lead', 'everyone']);
    expect(data.yours.map((c) => c.syntax)).toEqual(
      ['qa', 'approve', 'reject', 'revoke', 'away', 'back'].map((name) => USAGE[name as keyof typeof USAGE].syntax),
    );
    expect(data.yours[0]).toEqual(helpCommand(USAGE.qa.syntax, USAGE.qa.description, `@lendos ${USAGE.qa.example}`));

    const card = render('help', data);
    expectValid(card);
    expect(byId(card, 'title').text).toBe('What you can do with @lendos, Rafaella Barrocas');
    expect(byId(card, 'roles').text).toBe('Your roles: Lead approver for QA, QA lead, everyone');
    const shown = shownAtFirst(card);
    for (const command of data.yours) {
      for (const line of command.syntaxLines) expect(shown).toContain(line);
      expect(shown).toContain(command.description);
      expect(shown).toContain(`e.g. ${command.example.split('\n')[0]}`);
    }
    expect(shown.join('\n')).not.toContain('promote <rc>');
  });

  it('puts every other command behind a "Show all commands" toggle, each once, with who may use it', () => {
    const data = helpCardData({ id: ids.rafaella, name: 'Rafaella' }, directory);
    const card = render('help', data);
    expect(byId(card, 'toggle-all')).toEqual({ type: 'Action.ToggleVisibility', id: 'toggle-all', title: 'Show all commands', targetElements: ['all-commands'] });
    expect(byId(card, 'all-commands').isVisible).toBe(false);
    expect(data.others.map((c) => c.name)).toEqual(Object.values(USAGE).map((u) => u.name).filter((name) => !data.yours.some((y) => y.syntax === USAGE[name].syntax)));
    expect(data.others.find((c) => c.name === 'promote')).toEqual({
      name: 'promote',
      syntaxLines: ['promote <rc> [<release notes link>]'],
      description: `Platform team: ${USAGE.promote.description}`,
    });
    expect(data.others.find((c) => c.name === 'live')!.description).toBe(`Platform team or IRC (Incident Response Commander): ${USAGE.live.description}`);
  });

  it('lists each command once across the whole card, however many roles the person holds', () => {
    for (const id of [...Object.values(ids), 'someone-else']) {
      const data = helpCardData({ id, name: 'Someone' }, directory);
      const listed = [...data.yours.map((c) => c.syntax), ...data.others.map((c) => c.syntaxLines.join('\n'))];
      expect(listed).toHaveLength(Object.keys(USAGE).length);
      expect(new Set(listed).size).toBe(listed.length);
    }
  });

  it('is short: Jake, who holds four roles, sees his fifteen commands once each (away, back, lock, unlock, freeze and unfreeze among them); status, history, bug and help wait behind the toggle', () => {
    const jake = helpCardData({ id: ids.jake, name: 'Jake' }, directory);
    expect(jake.roles).toEqual(['Lead approver for Platform', 'Platform team', 'Deployment engineer', 'everyone']);
    expect(jake.yours.map((c) => c.syntax.split(' ')[0])).toEqual(namesFor('lead-approver', 'platform', 'deployment-engineer'));
    expect(jake.yours).toHaveLength(15);
    expect(jake.yours.map((c) => c.syntax.split(' ')[0])).toEqual(expect.arrayContaining(['away', 'back', 'lock', 'unlock', 'freeze', 'unfreeze']));
    expect(jake.others.map((c) => c.name)).toEqual(expect.arrayContaining(['status', 'history', 'bug', 'help']));
    expect(jake.others.find((c) => c.name === 'status')!.description).toBe(`Anyone: ${USAGE.status.description}`);
    const steven = helpCardData({ id: ids.steven, name: 'Steven' }, directory);
    expect(steven.roles).toEqual(['Lead approver for DAML', 'IRC', 'everyone']);
    expectValid(render('help', steven));
  });

  it('gives someone with no role what everyone may do, the rest behind the toggle', () => {
    const data = helpCardData({ id: 'someone-else', name: 'Ana Lopes' }, directory);
    expect(data).toMatchObject({ name: 'Ana Lopes', roles: ['everyone'] });
    expect(data.yours.map((c) => c.syntax.split(' ')[0])).toEqual(['bug', 'status', 'history', 'evidence', 'metrics', 'help']);
    expectValid(render('help', data));
  });

  it('says exactly when the @mention may be left out, and what rc.N means', () => {
    const card = render('help', helpCardData({ id: ids.luis, name: 'Luis' }, directory));
    expect(byId(card, 'mention-rule').text).toBe(
      'Start with @lendos in channels and group chats. You may leave it out in a personal chat, and in channels ' +
        'if your Teams admin installed the app with channel-message access; there I only read messages that start with a command.',
    );
    expect(byId(card, 'version-rule').text).toContain('rc.N means that thread');
  });

  it('shows syntax as plain text runs, so <placeholders> are never read as markup', () => {
    const card = render('help', helpCardData({ id: ids.luis, name: 'Luis' }, directory));
    const runs = nodes(card).filter((n) => n.type === 'TextRun').map((n) => n.text);
    expect(runs).toContain(USAGE.reject.syntax);
    expect(USAGE.reject.syntax).toContain('<');
  });
});

describe('status', () => {
  it('awaiting approvals: lists each missing approval and its lead', () => {
    const data = statusCardData(awaitingState, { ...view, threadUrl: 'https://teams.microsoft.com/l/message/19%3Aabc/1' });
    expect(data).toMatchObject({
      title: 'Release 2026.4.0',
      currentRc: '2026.4.0-rc.3',
      state: 'Awaiting approvals — 3 of 5',
      waiting: [
        { what: 'QA approval', who: 'Rafaella Barrocas' },
        { what: 'Platform approval', who: 'Jake Edgington' },
      ],
    });
    const card = render('status', data);
    expectValid(card);
    expect(byId(card, 'title').text).toBe('Release 2026.4.0');
    expect(byId(card, 'state').text).toBe('⏳ Awaiting approvals — 3 of 5');
    expect(byId(card, 'facts').facts).toEqual([{ title: 'Current RC', value: '2026.4.0-rc.3' }]);
    expect(texts(byId(card, 'waiting'))).toEqual(['Waiting for', 'QA approval', 'Rafaella Barrocas', 'Platform approval', 'Jake Edgington']);
    expect(byId(card, 'thread-link').text).toBe('[Open the release thread](https://teams.microsoft.com/l/message/19%3Aabc/1)');
  });

  it('blocked: waits on the rejecting lead, and on the approvals still missing', () => {
    const data = statusCardData(blockedState, view);
    expect(data.state).toBe('Blocked — rejected by QA (Rafaella Barrocas)');
    expect(data.waiting).toEqual([
      { what: 'QA rejection (login fails on Safari) to be revoked, or a new RC', who: 'Rafaella Barrocas' },
      { what: 'DAML approval', who: 'Steven Inouye' },
      { what: 'Stream approval', who: 'Bosko Kocev' },
      { what: 'Platform approval', who: 'Jake Edgington' },
    ]);
    const card = render('status', data);
    expectValid(card);
    expect(() => byId(card, 'thread-link')).toThrow();
  });

  it('no QA result yet: waits on the QA lead too', () => {
    expect(statusCardData(readyState, view).waiting).toEqual([
      { what: 'QA regression results on rc.3', who: 'Rafaella Barrocas' },
      { what: 'Promotion of rc.3', who: 'Jake Edgington' },
    ]);
  });

  it('the current RC is the newest one', () => {
    const data = statusCardData(supersededState, view);
    expect(data.currentRc).toBe('2026.4.0-rc.4');
    expect(data.state).toBe('Awaiting approvals — 0 of 5');
  });

  it('promoted: nothing waits', () => {
    const card = render('status', statusCardData(promotedState, view));
    expectValid(card);
    expect(byId(card, 'state').text).toBe('🚀 Promoted to 2026.4.0');
    expect(byId(card, 'state-box').style).toBe('good');
    expect(() => byId(card, 'waiting')).toThrow();
    expect(byId(card, 'nothing-waiting').text).toBe('Nothing is waiting in the release process.');
  });

  it('no RC yet: waits on the Platform team; without peopleWith it names the role', () => {
    const empty: ReleaseState = { version: '2026.5.0', rcs: [], revision: 0 };
    expect(statusCardData(empty, view)).toMatchObject({ currentRc: 'none yet', state: 'No RC cut yet', waiting: [{ what: 'An RC to be cut', who: 'Jake Edgington' }] });
    const { peopleWith: _omit, ...withoutRoles } = directory;
    expect(statusCardData(empty, { ...view, directory: withoutRoles }).waiting).toEqual([{ what: 'An RC to be cut', who: 'Platform team' }]);
    expectValid(render('status', statusCardData(empty, view)));
  });
});

describe('history', () => {
  const at = (hhmm: string) => `2026-04-14T${hhmm}:00Z`;
  const events: ReleaseEvent[] = [
    { type: 'rcCut', rc: 3, by: ids.jake, at: at('14:05'), hotfix: false, contents: { features: [], fixes: [], knownIssues: [] } },
    { type: 'qaRecorded', rc: 3, by: ids.rafaella, at: at('19:30'), result: 'fail', summary: 'login fails on Safari' },
    { type: 'approved', rc: 3, by: ids.luis, at: at('20:00'), area: 'product' },
    { type: 'rejected', rc: 3, by: ids.rafaella, at: at('20:05'), area: 'qa', reason: 'login fails on Safari' },
    { type: 'revoked', rc: 3, by: ids.rafaella, at: at('20:10'), area: 'qa', revokedDecision: 'rejected' },
    { type: 'rcSuperseded', rc: 3, by: ids.jake, at: at('21:00'), supersededBy: 4, voidedAreas: ['product'] },
    { type: 'rcCut', rc: 4, by: ids.jake, at: at('21:00'), hotfix: false, contents: { features: [], fixes: [], knownIssues: [] } },
    { type: 'promoted', rc: 4, by: ids.jake, at: at('23:00'), notesUrl: 'https://x.example/notes' },
  ];

  it('tells each event as a plain English line', () => {
    expect(events.map((e) => describeEvent(e, '2026.4.0', directory))).toEqual([
      'Jake Edgington cut rc.3',
      'Rafaella Barrocas recorded QA fail on rc.3: login fails on Safari',
      'Luis Garcia approved rc.3 for Product',
      'Rafaella Barrocas rejected rc.3 for QA: login fails on Safari',
      'Rafaella Barrocas revoked their rejection of rc.3 for QA',
      'Jake Edgington superseded rc.3 with rc.4; its Product decisions are void',
      'Jake Edgington cut rc.4',
      'Jake Edgington promoted rc.4 to 2026.4.0',
    ]);
    expect(describeEvent({ type: 'revoked', rc: 3, by: ids.luis, at: at('20:00'), area: 'product', revokedDecision: 'approved' }, '2026.4.0', directory)).toBe(
      'Luis Garcia revoked their approval of rc.3 for Product',
    );
    expect(describeEvent({ ...events[0]!, hotfix: true } as ReleaseEvent, '2026.4.1', directory)).toBe('Jake Edgington cut rc.3 (hotfix)');
  });

  it('renders the audit trail oldest first with time and line', () => {
    const data = historyCardData('2026.4.0', events, view);
    expect(data.events[2]).toEqual({ time: 'Tue 14 Apr 2026, 16:00 EDT', who: 'Luis Garcia', what: 'Luis Garcia approved rc.3 for Product' });
    const card = render('history', data);
    expectValid(card);
    expect(byId(card, 'title').text).toBe('History of 2026.4.0');
    expect(texts(byId(card, 'events')).slice(0, 4)).toEqual([
      'Tue 14 Apr 2026, 10:05 EDT',
      'Jake Edgington cut rc.3',
      'Tue 14 Apr 2026, 15:30 EDT',
      'Rafaella Barrocas recorded QA fail on rc.3: login fails on Safari',
    ]);
    expect(() => byId(card, 'note')).toThrow();
  });

  it('merges deployment events into the trail by time, with windows in the configured zone', () => {
    const scheduled = {
      type: 'deploymentScheduled' as const,
      at: at('17:00'),
      by: ids.steven,
      id: '2026.4.0@bxci-production.1',
      version: '2026.4.0',
      hotfix: false,
      environment: { key: 'bxci-production', name: 'BXCI Production' },
      window: { start: '2026-04-15T02:00:00.000Z', end: '2026-04-15T03:30:00.000Z' },
      engineer: ids.jake,
      validators: [ids.luis],
    };
    const data = historyCardData('2026.4.0', events, view, { deployments: [{ title: 'Deploy 2026.4.0 to BXCI Production', events: [scheduled] }] });
    const line = data.events.find((e) => e.what.includes('scheduled'))!;
    expect(line.what).toBe(
      'Steven Inouye scheduled Deploy 2026.4.0 to BXCI Production for Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC) (engineer Jake Edgington; validators Luis Garcia)',
    );
    // scheduled at 17:00 UTC: after the cut (14:05), before the QA result (19:30)
    expect(data.events.map((e) => e.what.split(' ').slice(0, 3).join(' '))).toEqual([
      'Jake Edgington cut',
      'Steven Inouye scheduled',
      'Rafaella Barrocas recorded',
      'Luis Garcia approved',
      'Rafaella Barrocas rejected',
      'Rafaella Barrocas revoked',
      'Jake Edgington superseded',
      'Jake Edgington cut',
      'Jake Edgington promoted',
    ]);
  });

  it('shows a long trail a page at a time, newest first, and says how to see the rest', () => {
    const many: ReleaseEvent[] = Array.from({ length: 73 }, (_, i) => ({
      type: 'approved' as const,
      rc: 3,
      by: ids.luis,
      at: new Date(Date.UTC(2026, 3, 14, 14, i)).toISOString(),
      area: 'product',
    }));
    const newest = historyCardData('2026.4.0', many, view);
    expect(newest.events).toHaveLength(40);
    expect(newest.events[0]!.time).toBe('Tue 14 Apr 2026, 10:33 EDT');
    const card = render('history', newest);
    expectValid(card);
    expect(byId(card, 'note').text).toBe('33 earlier events: type `history 2026.4.0 page 2`.');
    expect(JSON.stringify(card).length).toBeLessThan(28 * 1024);

    const oldest = historyCardData('2026.4.0', many, view, { page: 2 });
    expect(oldest.events).toHaveLength(33);
    expect(oldest.events[0]!.time).toBe('Tue 14 Apr 2026, 10:00 EDT');
    expect(oldest.note).toBe('Page 2 of 2, the oldest events.');
  });

  it('puts each deployment event on the page of the release events around it', () => {
    const many: ReleaseEvent[] = Array.from({ length: 90 }, (_, i) => ({
      type: 'approved' as const,
      rc: 3,
      by: ids.luis,
      at: new Date(Date.UTC(2026, 3, 14, 14, i)).toISOString(),
      area: 'product',
    }));
    // between release events 20 and 21 (page 3: events 0–9; page 2: 10–49; page 1: 50–89)
    const started = { type: 'deploymentStarted' as const, at: new Date(Date.UTC(2026, 3, 14, 14, 20, 30)).toISOString(), by: ids.steven };
    const deployments = [{ title: 'Deploy 2026.4.0 to BXCI Production', events: [started] }];
    const pages = [1, 2, 3].map((page) => historyCardData('2026.4.0', many, view, { page, deployments }));
    expect(pages.map((p) => p.events.filter((e) => e.what.includes('started')).length)).toEqual([0, 1, 0]);
    const onPage2 = pages[1]!.events.map((e) => e.what);
    expect(onPage2.indexOf('Steven Inouye started Deploy 2026.4.0 to BXCI Production')).toBe(11); // after events 10–20
    expect(pages[0]!.note).toBe('51 earlier events: type `history 2026.4.0 page 2`.');
    expect(pages[1]!.note).toBe('Page 2 of 3. 10 earlier events: type `history 2026.4.0 page 3`.');
  });

  it("renders the domain's own folding of the same events", () => {
    const state = replay('2026.4.0', events);
    const old = render('rc', rcCardData(state, 3, view));
    const promoted = render('rc', rcCardData(state, 4, view));
    expectValid(old);
    expectValid(promoted);
    expect(byId(old, 'status').text).toBe('⏸️ Superseded by rc.4 — approvals void');
    expect(texts(byId(old, 'approval-product'))).toEqual(['✅', '**Product** · Luis Garcia', 'Approved · Tue 14 Apr 2026, 16:00 EDT (void)']);
    expect(byId(promoted, 'status').text).toBe('🚀 Promoted to 2026.4.0');
    expect(actions(old)).toEqual([]);
    expect(actions(promoted)).toEqual([]);
    expect(render('status', statusCardData(state, view)).body).toBeDefined();
  });

  it('says when nothing has happened', () => {
    const card = render('history', historyCardData('2026.5.0', [], view));
    expectValid(card);
    expect(texts(card)).toEqual(['History of 2026.5.0', 'Nothing has happened to this release yet.']);
  });
});
