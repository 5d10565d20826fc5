import { environmentKey, releaseKey } from '../../src/app/documents';
import { Harness, Person, people, startHarness } from '../helpers/bot-harness';
import { waitForAsync } from '../helpers/wait-for';
import { promoteRelease, scheduleText, tracker, trackerPost, trackerViews } from '../deployments/deployment-view';
import { NOW, RcThread, actionVerbs, approveInThread, buttonData, buttons, cutRc, expectValidCard, ownButtonData, postedTexts, textOf } from './teams-view';

// User-specific views of the RC card (Adaptive Card Universal Actions), over HTTP. The card in the
// thread acts for nobody; it carries `refresh` naming the people who can act now, Teams sends the
// refresh invoke for each of them, and each is answered with their own view: exactly the buttons
// the rules would accept from them, no other.

/**
 * Resolves once every delivered message of these documents is acknowledged: the outbox folds an
 * acknowledgement into the document's next write, or writes it alone a moment later, so until then
 * a write is still due that no refresh caused.
 */
const acknowledged = (h: Harness, ...docs: Array<{ pk: string; id: string }>) =>
  waitForAsync(async () => {
    for (const { pk, id } of docs) if (((await h.store.read(pk, id))?.doc as { outbox?: unknown[] } | undefined)?.outbox?.length) return false;
    return true;
  }, 'every delivered message to be acknowledged');

const ALL: readonly Person[] = [people.luis, people.rafaella, people.steven, people.bosko, people.jake, people.mallory];
const mri = (person: Person) => `8:orgid:${person.aadObjectId}`;

describe('RC card views', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  /** The verbs on each person's own view of the RC card, as Teams' refresh invoke gets it. */
  const viewsOf = async (thread: RcThread, rcVersion: string) => {
    const views: Record<string, string[]> = {};
    for (const person of ALL) {
      const { status, body, calls } = await h.refresh(person, thread, h.latestCard(rcVersion));
      expect([person.name, status, body.statusCode, calls]).toEqual([person.name, 200, 200, []]);
      expectValidCard(body.value);
      views[person.name] = actionVerbs(body.value);
    }
    return views;
  };

  test('a fresh RC: each lead sees Approve and Reject, the QA lead also the QA actions, everyone else nothing', async () => {
    const thread = await cutRc(h, '2026.1.0-rc.1');
    const base = h.latestCard('2026.1.0-rc.1');
    expect(actionVerbs(base)).toEqual([]);
    expect(buttons(base)).toEqual(['Show my actions']);
    expect(textOf(base, 'waiting')).toContain('⏳ Waiting for rc.1 approval from Product (Luis Garcia), QA (Rafaella Barrocas), DAML (Steven Inouye)');
    expect([...base.refresh.userIds].sort()).toEqual([people.luis, people.rafaella, people.steven, people.bosko, people.jake].map(mri).sort());
    expect(base.refresh.action).toMatchObject({ type: 'Action.Execute', verb: 'refreshRc', data: { release: '2026.1.0', rc: 1 } });

    expect(await viewsOf(thread, '2026.1.0-rc.1')).toEqual({
      'Luis Garcia': ['approve', 'reject'],
      'Rafaella Barrocas': ['approve', 'reject', 'qaPass', 'qaFail'],
      'Steven Inouye': ['approve', 'reject'],
      'Bosko Kocev': ['approve', 'reject'],
      'Jake Edgington': ['approve', 'reject'],
      'Mallory Outsider': [],
    });
    const mallory = await h.refresh(people.mallory, thread, base);
    expect(textOf(mallory.body.value, 'viewer-note')).toBe('Nothing on rc.1 waits for you now.');
    expect(textOf(mallory.body.value, 'waiting')).toContain('Waiting for rc.1 approval');
  });

  test('a lead who decided sees Revoke; at five of five Platform sees Promote; each view keeps the matrix', async () => {
    const thread = await cutRc(h, '2026.2.0-rc.1');
    await approveInThread(h, thread, 'rc.1', [people.luis]);
    await h.say(people.steven, 'reject rc.1 ledger migration not rehearsed', { conversationId: thread.conversationId });
    const midway = await viewsOf(thread, '2026.2.0-rc.1');
    expect(midway['Luis Garcia']).toEqual(['revoke']);
    expect(midway['Steven Inouye']).toEqual(['revoke']);
    expect(midway['Jake Edgington']).toEqual(['approve', 'reject']);
    const luis = await h.refresh(people.luis, thread, h.latestCard('2026.2.0-rc.1'));
    expect(textOf(luis.body.value, 'approvals-title')).toBe('Approvals — 1 of 5');
    expect(textOf(luis.body.value, 'waiting')).toContain('DAML rejected rc.1');

    await h.say(people.steven, 'revoke rc.1', { conversationId: thread.conversationId });
    await approveInThread(h, thread, 'rc.1', [people.rafaella, people.steven, people.bosko, people.jake]);
    expect(await viewsOf(thread, '2026.2.0-rc.1')).toEqual({
      'Luis Garcia': ['revoke'],
      'Rafaella Barrocas': ['revoke', 'qaPass', 'qaFail'],
      'Steven Inouye': ['revoke'],
      'Bosko Kocev': ['revoke'],
      'Jake Edgington': ['revoke', 'promote'],
      'Mallory Outsider': [],
    });
    const base = h.latestCard('2026.2.0-rc.1');
    expect(buttons(base)).toEqual(['Show my actions']);
    expect(base.refresh.userIds[0]).toBe(mri(people.jake));

    // Jake promotes from his own view; afterwards nobody has anything to do and the card stops refreshing.
    const jake = await h.refresh(people.jake, thread, base);
    const promote = await h.click(people.jake, thread, 'promote', buttonData(jake.body.value, 'promote'));
    expect(postedTexts(promote.calls, thread.conversationId)[0]).toMatch(/^2026\.2\.0-rc\.1 promoted to 2026\.2\.0\./);
    expect(actionVerbs(promote.body.value)).toEqual([]);
    expect(h.latestCard('2026.2.0-rc.1').refresh).toBeUndefined();
    expect(buttons(h.latestCard('2026.2.0-rc.1'))).toEqual([]);
  });

  test('a refresh writes nothing and posts nothing; someone Teams does not name gets the base card', async () => {
    const thread = await cutRc(h, '2026.3.0-rc.1');
    await h.settle();
    await acknowledged(h, releaseKey('2026.3.0'));
    const writes = h.store.stats.writes;
    const base = h.latestCard('2026.3.0-rc.1');
    for (const person of ALL) await h.refresh(person, thread, base);
    const anonymous = await h.invoke({ key: 'anonymous', name: 'Anonymous', aadObjectId: '' }, thread.conversationId, 'adaptiveCard/action', {
      action: { type: 'Action.Execute', verb: 'refreshRc', data: base.refresh.action.data },
      trigger: 'automatic',
    });
    expect(anonymous.status).toBe(200);
    // The base card: no buttons but "Show my actions", the same content everyone sees (no "nothing waits for you").
    expect(buttons(anonymous.body.value)).toEqual(['Show my actions']);
    expect(anonymous.body.value.body).toEqual(base.body);
    expect(anonymous.calls).toEqual([]);
    expect(h.store.stats.writes).toBe(writes);
  });

  test('the QA lead records QA from her view; a click someone may not use is still refused with the reason', async () => {
    const thread = await cutRc(h, '2026.4.0-rc.1');
    const rafaella = await h.refresh(people.rafaella, thread, h.latestCard('2026.4.0-rc.1'));
    const pass = await h.click(people.rafaella, thread, 'qaPass', { ...buttonData(rafaella.body.value, 'qaPass'), qaPassSummary: '212 regression tests green' });
    expect(pass.status).toBe(200);
    expect(textOf(h.latestCard('2026.4.0-rc.1'), 'qa-result')).toBe('✅ Passed — 212 regression tests green');
    expect(postedTexts(pass.calls, thread.conversationId)).toHaveLength(1);

    // Luis has no QA button; a click sent anyway (an old copy, a crafted request) is refused and says why.
    const byLuis = await h.click(people.luis, thread, 'qaFail', { ...ownButtonData(h.latestCard('2026.4.0-rc.1'), 'qaFail'), qaFailSummary: 'broken' });
    expect(textOf(byLuis.body.value, 'notice')).toContain('Only the QA lead can record QA results for 2026.4.0');
    expect(actionVerbs(byLuis.body.value)).toEqual(['approve', 'reject']);
    expect(byLuis.calls).toEqual([]);
  });
});

describe('RC card refresh.userIds', () => {
  test('lists the people who can act, the most pressing first, and never more than 60', async () => {
    // Seventy Platform engineers besides Jake: at five of five all of them may promote.
    const extra = Array.from({ length: 70 }, (_, i) => ({
      key: `platform${i}`,
      name: `Platform Engineer ${i}`,
      aadObjectId: `00000000-0000-0000-0001-${String(i).padStart(12, '0')}`,
      email: `platform${i}@lendos.example`,
    }));
    const h = await startHarness({
      now: () => NOW,
      configure: (config) => {
        config.people.push(...extra);
        config.roles.platform.push(...extra.map((p) => p.key));
      },
    });
    try {
      const thread = await cutRc(h, '2026.5.0-rc.1');
      const cut = h.latestCard('2026.5.0-rc.1');
      // Before five of five only the leads can do anything.
      expect([...cut.refresh.userIds].sort()).toEqual([people.luis, people.rafaella, people.steven, people.bosko, people.jake].map(mri).sort());

      await approveInThread(h, thread, 'rc.1', [people.luis, people.rafaella, people.steven, people.bosko, people.jake]);
      const ready = h.latestCard('2026.5.0-rc.1');
      expect(ready.refresh.userIds).toHaveLength(60);
      expect(ready.refresh.userIds.slice(0, 3)).toEqual([mri(people.jake), `8:orgid:${extra[0]!.aadObjectId}`, `8:orgid:${extra[1]!.aadObjectId}`]);
      // Every one listed can act: a Platform engineer's own view offers Promote.
      const view = await h.refresh(extra[0]!, thread, ready);
      expect(actionVerbs(view.body.value)).toEqual(['promote']);
    } finally {
      await h.close();
    }
  });
});

describe('tracker views', () => {
  test("each role's own view of the tracker, its refresh.userIds, and a refresh that writes nothing", async () => {
    let clock = new Date('2026-04-13T12:00:00Z');
    const h = await startHarness({ now: () => clock });
    try {
      const thread = await promoteRelease(h, '2026.6.0');
      const inThread = { conversationId: thread.conversationId };
      // Engineer Jake; validators Luis and Bosko; Steven is the IRC.
      await h.say(people.steven, scheduleText('2026.6.0', 'BXCI Staging', '2026-04-14 22:00'), inThread);
      expect(tracker(h, '2026.6.0', 'BXCI Staging').refresh).toBeUndefined(); // nobody can act before on-call is confirmed
      await h.say(people.steven, 'confirm on-call', inThread);
      const covered = tracker(h, '2026.6.0', 'BXCI Staging');
      expect(covered.refresh.userIds).toEqual([mri(people.steven)]);
      expect(buttons(covered)).toEqual(['Show my actions']);
      expect(await trackerViews(h, '2026.6.0', 'BXCI Staging')).toEqual({ 'Steven Inouye': ['startDeploy'] });

      clock = new Date('2026-04-15T02:01:00Z');
      for (const [person, text] of [[people.steven, 'start'], [people.jake, 'ready'], [people.jake, 'stable'], [people.luis, 'smoke pass']] as const) {
        await h.say(person, text, inThread);
      }
      await h.settle();
      await acknowledged(h, releaseKey('2026.6.0'), environmentKey('bxci-staging'));
      const stable = tracker(h, '2026.6.0', 'BXCI Staging');
      expect([...stable.refresh.userIds].sort()).toEqual([people.steven, people.luis, people.bosko].map(mri).sort());
      expect(textOf(stable, 'waiting')).toBe('⏳ Waiting for smoke-test results from Bosko Kocev');
      const writes = h.store.stats.writes;
      const before = h.connector.calls.length;
      // Each validator records only their own result (Luis may still change his); the IRC may override or abort.
      expect(await trackerViews(h, '2026.6.0', 'BXCI Staging')).toEqual({
        'Luis Garcia': ['smokePass', 'smokeFail'],
        'Bosko Kocev': ['smokePass', 'smokeFail'],
        'Steven Inouye': ['goLiveOverride', 'abortDeploy'],
      });
      expect(h.store.stats.writes).toBe(writes);
      expect(h.connector.calls.length).toBe(before);

      // Rafaella validates nothing here: a smoke click from her is refused with the reason.
      const byRafaella = await h.click(people.rafaella, trackerPost(h, '2026.6.0', 'BXCI Staging'), 'smokePass', ownButtonData(stable, 'smokePass'));
      expect(textOf(byRafaella.body.value, 'notice')).toContain('Only the validators of Deploy 2026.6.0 to BXCI Staging record smoke-test results: Luis Garcia and Bosko Kocev.');
      expect(actionVerbs(byRafaella.body.value)).toEqual([]);
      expect(byRafaella.calls).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('a deputy\'s view', () => {
  test('a deputy who leads no area of their own gets the away lead\'s buttons, and the card says whose deputy decided', async () => {
    const ana = { key: 'ana', name: 'Ana Lopes', aadObjectId: '00000000-0000-0000-0000-0000000000b1' };
    const h = await startHarness({
      now: () => NOW,
      configure: (config) => config.people.push({ ...ana, email: 'ana.lopes@lendos.example' }),
    });
    try {
      const named = await h.say(people.steven, 'away until 2026-04-20 deputy ana', { personal: true });
      expect(named.status).toBe(200);
      const thread = await cutRc(h, '2026.7.0-rc.1');
      const base = h.latestCard('2026.7.0-rc.1');
      expect(base.refresh.userIds).toContain(mri(ana));
      const view = await h.refresh(ana, thread, base);
      expect(actionVerbs(view.body.value)).toEqual(['approve', 'reject']);
      const approve = await h.click(ana, thread, 'approve', buttonData(view.body.value, 'approve'));
      expect(actionVerbs(approve.body.value)).toEqual(['revoke']);
      expect(textOf(h.latestCard('2026.7.0-rc.1'), 'approval-daml')).toContain('Ana Lopes for DAML (deputy of Steven Inouye)');
    } finally {
      await h.close();
    }
  });
});
