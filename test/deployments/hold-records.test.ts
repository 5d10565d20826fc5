import { EvidencePack, verifyEvidence } from '../../src/app/evidence';
import { EnvironmentDocument, environmentKey } from '../../src/app/documents';
import { Harness, cardText, people, startHarness } from '../helpers/bot-harness';
import { expectValidCard, findById, textOf } from '../teams/teams-view';
import { promoteRelease, refusalsIn, scheduleText, sentCards } from './deployment-view';

// Locks and freezes are part of a release's record: `history` shows who locked, unlocked, froze and
// lifted its environment while the release was on its way there, and the evidence pack lists them
// with their own hash chains, so an edit of a stored lock event shows like an edit of an approval.

describe('locks and freezes in history and the evidence pack', () => {
  let h: Harness;
  let clock = new Date('2026-04-13T12:00:00Z'); // Mon 13 Apr 2026, 08:00 EDT
  let thread: { conversationId: string };
  const at = (iso: string) => (clock = new Date(iso));

  beforeAll(async () => {
    h = await startHarness({ now: () => clock, server: { evidenceLinkKey: 'k'.repeat(40) }, configure: (raw) => raw.environments.push({ key: 'demo', name: 'Demo' }) });
    thread = { conversationId: (await promoteRelease(h, '2026.4.0')).conversationId };
    const run = async (person: (typeof people)[keyof typeof people], text: string) => expect(refusalsIn((await h.say(person, text, thread)).calls)).toEqual([]);
    await run(people.jake, 'lock "BXCI Staging" migration dry run until 2026-04-14 18:00');
    at('2026-04-13T13:00:00Z');
    await run(people.steven, 'freeze "BXCI Staging" from 2026-04-16 until 2026-04-16 reason: audit');
    await run(people.jake, 'lock Demo someone else\'s test for 2h'); // another environment: not this release's record
    at('2026-04-13T14:00:00Z');
    await run(people.steven, 'unlock "BXCI Staging"');
    at('2026-04-13T14:10:00Z');
    await run(people.steven, scheduleText('2026.4.0', 'BXCI Staging', '2026-04-14 22:00'));
    at('2026-04-13T15:00:00Z');
    await run(people.jake, 'unfreeze audit');
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  const ask = async (text: string) => {
    const where = '19:engineering0001@thread.tacv2;messageid=99201';
    const cards = sentCards((await h.say(people.luis, text, { conversationId: where })).calls, where);
    expect(cards).toHaveLength(1);
    return cards[0]!;
  };
  const pack = async (card: any): Promise<EvidencePack> => JSON.parse(await (await fetch(findById(card, 'download-json').url)).text());

  test('history shows the lock, the unlock, the freeze and its lift on the release\'s environment, in time order', async () => {
    const text = cardText(await ask('history 2026.4.0'));
    const lines = [
      'Jake Edgington locked BXCI Staging until Tue 14 Apr 2026, 18:00 EDT: “migration dry run”',
      'Steven Inouye froze BXCI Staging from Thu 16 Apr 2026, 00:00 EDT until Fri 17 Apr 2026, 00:00 EDT: “audit” (hotfixes too)',
      'Steven Inouye unlocked BXCI Staging (held by Jake Edgington: “migration dry run”)',
      'Steven Inouye scheduled Deploy 2026.4.0 to BXCI Staging',
      'Jake Edgington lifted the freeze “audit” on BXCI Staging',
    ];
    const positions = lines.map((line) => text.indexOf(line));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).not.toContain('Demo');
  });

  test('the evidence pack lists them with their hash chains, and the card counts them', async () => {
    const card = await ask('evidence 2026.4.0');
    expectValidCard(card);
    expect(textOf(card, 'summary')).toContain('Locks, freezes\n1 lock, 1 freeze on BXCI Staging');
    const exported = await pack(card);
    expect(verifyEvidence(exported)).toEqual({ ok: true, problems: [] });
    expect(exported.holds).toEqual([
      {
        environment: { key: 'bxci-staging', name: 'BXCI Staging' },
        events: [
          { kind: 'environmentLocked', at: '2026-04-13T12:00:00.000Z', by: { name: 'Jake Edgington', entraId: people.jake.aadObjectId }, what: 'Locked until 2026-04-14T22:00:00.000Z', reason: 'migration dry run' },
          { kind: 'freezeDeclared', at: '2026-04-13T13:00:00.000Z', by: { name: 'Steven Inouye', entraId: people.steven.aadObjectId }, what: 'Froze 2026-04-16T04:00:00.000Z – 2026-04-17T04:00:00.000Z (hotfixes too)', reason: 'audit' },
          { kind: 'environmentUnlocked', at: '2026-04-13T14:00:00.000Z', by: { name: 'Steven Inouye', entraId: people.steven.aadObjectId }, what: 'Unlocked (held by Jake Edgington)', reason: 'migration dry run' },
          { kind: 'freezeLifted', at: '2026-04-13T15:00:00.000Z', by: { name: 'Jake Edgington', entraId: people.jake.aadObjectId }, what: 'Lifted the freeze', reason: 'audit' },
        ],
      },
    ]);
    expect(exported.streams.filter((s) => s.kind === 'environment').map((s) => [s.id, s.events.length, s.status])).toEqual([
      ['environment:bxci-staging/locks', 2, 'intact'],
      ['environment:bxci-staging/freezes', 2, 'intact'],
    ]);
    const markdown = await (await fetch(findById(card, 'download-markdown').url)).text();
    expect(markdown).toContain('## Environment locks and freezes');
    expect(markdown).toContain('| Steven Inouye (' + people.steven.aadObjectId + ') | Froze 2026-04-16T04:00:00.000Z – 2026-04-17T04:00:00.000Z (hotfixes too) | audit |');
  });

  test('a lock taken after the release went live is in the environment\'s stream but not its record, and leaves its history digest as it was', async () => {
    const thread2 = { conversationId: thread.conversationId };
    at('2026-04-15T02:00:00Z'); // 22:00 EDT: the window opens
    for (const [person, text] of [
      [people.steven, 'confirm on-call'],
      [people.steven, 'start'],
      [people.jake, 'ready'],
      [people.jake, 'stable'],
      [people.luis, 'smoke pass'],
      [people.bosko, 'smoke pass'],
      [people.jake, 'live'],
    ] as const) {
      expect(refusalsIn((await h.say(person, text, thread2)).calls)).toEqual([]);
    }
    const before = await pack(await ask('evidence 2026.4.0'));
    at('2026-04-20T12:00:00Z');
    expect(refusalsIn((await h.say(people.jake, 'lock "BXCI Staging" next release rehearsal for 2h', thread2)).calls)).toEqual([]);
    const after = await pack(await ask('evidence 2026.4.0'));
    expect(verifyEvidence(after)).toEqual({ ok: true, problems: [] });
    expect(after.streams.find((s) => s.id === 'environment:bxci-staging/locks')!.events).toHaveLength(3);
    expect(after.holds).toEqual(before.holds);
    expect(after.historyDigest).toBe(before.historyDigest);
  });

  test('a stored lock event changed directly in the store: the card and the export say so', async () => {
    const before = await pack(await ask('evidence 2026.4.0'));
    const key = environmentKey('bxci-staging');
    const stored = await h.store.read<EnvironmentDocument>(key.pk, key.id);
    const lockEvents = stored!.doc.lockEvents!.map((e) => (e.type === 'environmentLocked' ? { ...e, reason: 'routine maintenance' } : e));
    await h.store.replace({ ...stored!.doc, lockEvents }, stored!.etag);

    const card = await ask('evidence 2026.4.0');
    expect(textOf(card, 'integrity-text')).toBe('❌ The stored history does not match its hash chains: it was changed outside the bot.');
    expect(textOf(card, 'integrity')).toContain(
      '• environment:bxci-staging/locks: the 3 stored events no longer match the chain head written with them: an event was changed outside the bot',
    );
    const after = await pack(card);
    expect(verifyEvidence(after).ok).toBe(false);
    expect(verifyEvidence(before).ok).toBe(true);
  });
});
