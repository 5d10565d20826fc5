import { EvidencePack, verifyEvidence } from '../../src/app/evidence';
import { deploymentLogKey, DeploymentLogDocument } from '../../src/app/deployment-log';
import { EnvironmentDocument, ReleaseDocument, environmentKey } from '../../src/app/documents';
import { createGitHubBugTracker } from '../../src/integrations/bug-tracker';
import { Harness, people, startHarness } from '../helpers/bot-harness';
import { LoopbackGitHub, startLoopbackGitHub } from '../helpers/loopback-github';
import { expectValidCard, findById, textOf } from '../teams/teams-view';
import { PRODUCTION_SUPPORT, promoteRelease, refusalsIn, scheduleText, sentCards } from './deployment-view';

// `evidence 2026.4.0` over real HTTP after the whole runbook: the summary card, the Markdown and
// JSON exports behind its expiring links (downloaded from the running bot), and what happens when
// one stored event is changed directly in the store.

describe('the evidence pack of a release that went live', () => {
  let h: Harness;
  let github: LoopbackGitHub;
  let clock = new Date('2026-04-13T12:00:00Z');
  const askIn = `19:engineering0001@thread.tacv2;messageid=99001`;

  beforeAll(async () => {
    github = await startLoopbackGitHub();
    h = await startHarness({
      now: () => clock,
      bugTracker: createGitHubBugTracker({ baseUrl: github.url, token: github.token, owner: github.owner, repo: github.repo }),
      server: { evidenceLinkKey: 'k'.repeat(40) },
    });
    const thread = await promoteRelease(h, '2026.4.0');
    const inThread = { conversationId: thread.conversationId };
    await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Production', '2026-04-14 22:00'), inThread);
    await h.say(people.steven, 'override on-call bosko Steven is travelling', inThread);
    clock = new Date('2026-04-15T02:05:00Z');
    for (const [person, text] of [
      [people.steven, 'start'],
      [people.jake, 'ready'],
      [people.jake, 'stable'],
      [people.luis, 'smoke pass loans fine'],
      [people.bosko, 'smoke pass'],
      [people.jake, 'live'],
    ] as const) {
      expect(refusalsIn((await h.say(person, text, inThread)).calls)).toEqual([]);
    }
    clock = new Date('2026-04-15T13:30:00Z');
    await h.say(people.rafaella, 'bug Export to CSV times out', { conversationId: PRODUCTION_SUPPORT });
    clock = new Date('2026-04-20T14:00:00Z');
  });
  afterAll(async () => {
    await h.close();
    await github.close();
  });

  const ask = async () => {
    const { calls } = await h.say(people.luis, 'evidence 2026.4.0', { conversationId: askIn });
    const cards = sentCards(calls, askIn);
    expect(cards).toHaveLength(1);
    return cards[0]!;
  };
  const download = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), text: await response.text() };
  };
  const linkOf = (card: any, id: string): string => findById(card, id).url;

  test('anyone gets the summary card with links to the Markdown and JSON exports, which verify', async () => {
    const card = await ask();
    expectValidCard(card);
    expect(textOf(card, 'title')).toBe('Evidence pack · 2026.4.0');
    expect(textOf(card, 'summary')).toBe(
      [
        'RCs', '1 (rc.1)',
        'Decisions', '5 approvals, 0 rejections, 0 revocations',
        'Promotion', '2026.4.0-rc.1 by Jake Edgington, Mon 13 Apr 2026, 08:00 EDT',
        'Deployments', '1: 1 live, 0 aborted, 0 cancelled',
        'Bugs', '1 reported',
        'Locks, freezes', 'none',
      ].join('\n'),
    );
    expect(textOf(card, 'integrity-text')).toBe('✅ Every event matches the hash chain written with it.');
    expect(textOf(card, 'links-note')).toContain('The links expire at 10:15 EDT (in 15 minutes)');

    const json = await download(linkOf(card, 'download-json'));
    expect(json).toMatchObject({ status: 200, type: 'application/json; charset=utf-8', disposition: 'attachment; filename="evidence-2026.4.0.json"' });
    const pack: EvidencePack = JSON.parse(json.text);
    expect(verifyEvidence(pack)).toEqual({ ok: true, problems: [] });
    expect(textOf(card, 'digest')).toBe(`History digest (SHA-256): ${pack.historyDigest}`);
    const [deployment] = pack.deployments;
    expect(deployment).toMatchObject({
      title: 'Deploy 2026.4.0 to BXCI Production',
      outcome: 'live',
      scheduledBy: { name: 'Steven Inouye', entraId: people.steven.aadObjectId },
      notice: { posted: true },
      meeting: { recording: 'reminder to turn recording on was shown' },
      live: { post: '2026.4.0 live in BXCI Production.', by: { name: 'Jake Edgington' } },
      bugs: [{ title: 'Export to CSV times out', url: github.issues[0]!.html_url, by: { name: 'Rafaella Barrocas' } }],
    });
    expect(deployment!.onCall).toEqual([expect.objectContaining({ kind: 'overridden', person: { name: 'Bosko Kocev', entraId: people.bosko.aadObjectId }, reason: 'Steven is travelling' })]);
    expect(deployment!.smoke.map((s) => `${s.validator.name} ${s.result}`)).toEqual(['Luis Garcia pass', 'Bosko Kocev pass']);
    expect(pack.rcs[0]!.decisions.map((d) => `${d.area.name}: ${d.person.name} (${d.person.entraId})`)).toEqual([
      `Product: Luis Garcia (${people.luis.aadObjectId})`,
      `QA: Rafaella Barrocas (${people.rafaella.aadObjectId})`,
      `DAML: Steven Inouye (${people.steven.aadObjectId})`,
      `Stream: Bosko Kocev (${people.bosko.aadObjectId})`,
      `Platform: Jake Edgington (${people.jake.aadObjectId})`,
    ]);

    // Exported again a minute later: a new pack digest (it covers when it was made), the same history digest.
    clock = new Date(clock.getTime() + 60_000);
    const again: EvidencePack = JSON.parse((await download(linkOf(card, 'download-json'))).text);
    expect([again.historyDigest === pack.historyDigest, again.digest === pack.digest]).toEqual([true, false]);
    clock = new Date(clock.getTime() - 60_000);
    const markdown = await download(linkOf(card, 'download-markdown'));
    expect(markdown).toMatchObject({ status: 200, type: 'text/markdown; charset=utf-8', disposition: 'attachment; filename="evidence-2026.4.0.md"' });
    expect(markdown.text).toContain('# Evidence pack: release 2026.4.0');
    expect(markdown.text).toContain(`Pack digest (SHA-256 over the canonical JSON export): \`${pack.digest}\``);
  });

  test('a link whose signature was changed, or for another release, is refused; an expired one says when it expired', async () => {
    const card = await ask();
    const url = new URL(linkOf(card, 'download-json'));
    const forged = new URL(url);
    forged.searchParams.set('sig', 'f'.repeat(64));
    expect((await download(forged.toString())).status).toBe(403);
    const other = new URL(url.toString().replace('/evidence/2026.4.0.json', '/evidence/2026.5.0.json'));
    expect((await download(other.toString())).status).toBe(403);
    const later = new URL(url);
    later.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    expect((await download(later.toString())).status).toBe(403);
    clock = new Date(clock.getTime() + 16 * 60_000);
    const expired = await download(url.toString());
    expect(expired.status).toBe(410);
    expect(expired.text).toBe('This evidence link expired at Mon 20 Apr 2026, 10:15 EDT. Type `evidence 2026.4.0` in Teams for a new one.');
  });

  test('finished deployments are kept in the deployment log, so the pack has them after the environment dropped them', async () => {
    const log = await h.store.read<DeploymentLogDocument>(...pairOf(deploymentLogKey('bxci-production', '2026-04')));
    expect(log!.doc.deployments.map((d) => [d.state.id, d.state.phase, d.state.bugs[0]?.url])).toEqual([['2026.4.0@bxci-production.1', 'live', github.issues[0]!.html_url]]);
    const env = await h.store.read<EnvironmentDocument>(...pairOf(environmentKey('bxci-production')));
    await h.store.replace({ ...env!.doc, deployments: [] }, env!.etag);
    const pack: EvidencePack = JSON.parse((await download(linkOf(await ask(), 'download-json'))).text);
    expect(pack.deployments.map((d) => d.id)).toEqual(['2026.4.0@bxci-production.1']);
    expect(verifyEvidence(pack).ok).toBe(true);
  });

  test('one stored event changed directly in the store: the card and the export say the history no longer matches', async () => {
    const before: EvidencePack = JSON.parse((await download(linkOf(await ask(), 'download-json'))).text);
    const stored = await h.store.read<ReleaseDocument>('2026.4.0', '2026.4.0');
    const events = stored!.doc.events.map((event) => (event.type === 'approved' && event.area === 'qa' ? { ...event, at: '2026-04-12T09:00:00.000Z' } : event));
    await h.store.replace({ ...stored!.doc, events }, stored!.etag);

    const card = await ask();
    expectValidCard(card);
    expect(textOf(card, 'integrity-text')).toBe('❌ The stored history does not match its hash chains: it was changed outside the bot.');
    expect(textOf(card, 'integrity')).toContain(
      '• 2026.4.0: the 8 stored events no longer match the chain head written with them: an event was changed outside the bot',
    );
    const after: EvidencePack = JSON.parse((await download(linkOf(card, 'download-json'))).text);
    expect(verifyEvidence(after).ok).toBe(false);
    expect(after.digest).not.toBe(before.digest);
    expect(after.historyDigest).not.toBe(before.historyDigest);
    // The pack exported before the edit still verifies: keep it, and the two can be compared event by event.
    expect(verifyEvidence(before).ok).toBe(true);
    const changed = after.streams[0]!.events.findIndex((entry, i) => entry.digest !== before.streams[0]!.events[i]!.digest);
    expect(after.streams[0]!.events[changed]!.event).toMatchObject({ type: 'approved', area: 'qa' });
  });
});

function pairOf(key: { pk: string; id: string }): [string, string] {
  return [key.pk, key.id];
}
