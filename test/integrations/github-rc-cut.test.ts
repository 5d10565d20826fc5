import { Harness, people, startHarness } from '../helpers/bot-harness';
import { LoopbackGitHub, startLoopbackGitHub } from '../helpers/loopback-github';
import { OWNER, REPO, WEBHOOK_SECRET, createPayload, deliver, releasePayload, signature256, tagPushPayload } from '../helpers/github-webhooks';
import { createGitHubRepository } from '../../src/integrations/github-repository';
import { ReleaseDocument } from '../../src/app/documents';
import { LEADS, awaitedText, findById, refusalsIn, textOf } from '../teams/teams-view';

// RC cuts from GitHub over real HTTP: signed deliveries in GitHub's documented shapes posted to the
// running bot's /api/github, the repository played by a loopback GitHub that checks each request,
// and what #engineering then shows: the thread "Release 2026.4.0-rc.3" with its contents from GitHub.

const BODY = [
  '## Features',
  '- Loan export to CSV (#41)',
  '- Faster portfolio search',
  '',
  '## Fixes',
  '* Rounding in APR (#42)',
  '',
  '## Known issues',
  '- PDF statements slow above 500 loans',
  '',
  '## Thanks',
  '- everyone',
].join('\r\n');

interface Setup {
  readonly h: Harness;
  readonly github: LoopbackGitHub;
  /** sha of each tag */
  readonly shas: Record<string, string>;
}

/** A repository with the 2026.3.0 release, then three merged pull requests and the RC tags. */
function seedRepository(github: LoopbackGitHub): Record<string, string> {
  const old = github.commit('Add amortisation schedule (#39)', '2026-03-10T10:00:00Z');
  github.pull({ number: 39, title: 'Add amortisation schedule', labels: ['feature'], mergeCommitSha: old, mergedAt: '2026-03-10T10:00:00Z', updatedAt: '2026-03-10T10:05:00Z' });
  const released = github.commit('Release 2026.3.0', '2026-03-20T10:00:00Z');
  github.tag('2026.3.0', released);
  const c41 = github.commit('Loan export to CSV (#41)', '2026-03-25T10:00:00Z', '2026-03-23T09:00:00Z');
  github.pull({ number: 41, title: 'Loan export to CSV', labels: ['enhancement'], mergeCommitSha: c41, mergedAt: '2026-03-25T10:00:00Z', updatedAt: '2026-03-25T10:01:00Z' });
  const c42 = github.commit('Fix rounding in APR (#42)', '2026-04-01T10:00:00Z');
  github.pull({ number: 42, title: 'Fix rounding in APR', labels: ['bug'], mergeCommitSha: c42, mergedAt: '2026-04-01T10:00:00Z', updatedAt: '2026-04-01T10:01:00Z' });
  github.tag('2026.4.0-rc.2', c42);
  const c43 = github.commit('Faster portfolio search (#43)', '2026-04-08T10:00:00Z');
  github.pull({ number: 43, title: 'Faster portfolio search', labels: [], mergeCommitSha: c43, mergedAt: '2026-04-08T10:00:00Z', updatedAt: '2026-04-08T10:01:00Z' });
  github.pull({ number: 44, title: 'Abandoned experiment', labels: ['feature'], updatedAt: '2026-04-08T11:00:00Z' });
  github.tag('2026.4.0-rc.3', c43);
  github.tag('v2026.5.0-rc.1', c43);
  return { '2026.3.0': released, '2026.4.0-rc.2': c42, '2026.4.0-rc.3': c43 };
}

async function setUp(configure: (config: any) => void = () => undefined): Promise<Setup> {
  const github = await startLoopbackGitHub({ owner: OWNER, repo: REPO });
  const shas = seedRepository(github);
  const h = await startHarness({
    now: () => new Date('2026-04-09T14:05:00Z'),
    configure: (config) => {
      config.github = { cutBy: 'jake' };
      configure(config);
    },
    server: {
      gitHubWebhookSecret: WEBHOOK_SECRET,
      gitHubRepository: createGitHubRepository({ baseUrl: github.url, token: github.token, owner: OWNER, repo: REPO }),
    },
  });
  return { h, github, shas };
}

async function releaseDoc(h: Harness, version: string): Promise<ReleaseDocument | undefined> {
  return (await h.store.read<ReleaseDocument>(version, version))?.doc;
}

/** Waits until the delivery has been processed and its posts delivered. */
async function processed(h: Harness): Promise<void> {
  await h.settle();
  await waitFor(async () => (await h.store.listPendingOutbox()).length === 0);
  await h.settle();
}

describe('an RC cut from a published GitHub pre-release', () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setUp();
  });
  afterEach(async () => {
    await s.h.close();
    await s.github.close();
  });

  test('posts the RC thread with its contents from the release body, attributed to Platform and naming the GitHub user', async () => {
    const answer = await deliver(s.h.bot.url, { event: 'release', payload: releasePayload({ tag: '2026.4.0-rc.3', body: BODY }) });
    expect(answer).toMatchObject({ status: 202, body: { status: 'queued', release: '2026.4.0', rc: 3 } });
    await processed(s.h);

    const card = s.h.latestCard('2026.4.0-rc.3');
    expect(textOf(card, 'title')).toBe('Release 2026.4.0-rc.3');
    expect(textOf(card, 'cut')).toBe('Cut by Jake Edgington from GitHub (@octocat) · Thu 9 Apr 2026, 10:05 EDT');
    expect(textOf(card, 'features')).toBe('Features\n• Loan export to CSV (#41)\n• Faster portfolio search');
    expect(textOf(card, 'fixes')).toBe('Fixes\n• Rounding in APR (#42)');
    expect(textOf(card, 'known-issues')).toBe('Known issues\n• PDF statements slow above 500 loans');
    expect(textOf(card, 'notes')).toBe(`[Release notes](https://github.com/${OWNER}/${REPO}/releases/tag/2026.4.0-rc.3)`);
    // The thread went to #engineering as a new root post, with no acknowledgement anywhere else:
    // its only reply is the one in the thread that @mentions whom the RC waits for.
    const [root] = s.h.connector.calls.filter((c) => c.kind === 'createConversation');
    expect(s.h.connector.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(1);
    expect(s.h.connector.calls.filter((c) => c.kind === 'send' || c.kind === 'reply').map((c) => [c.conversationId, c.activity.text])).toEqual([
      [root!.conversationId, awaitedText('rc.3')],
    ]);

    // The body had sections, so no pull request decides the contents; the comparison still gives the first commit.
    const doc = await releaseDoc(s.h, '2026.4.0');
    expect(doc!.state.rcs[0]).toMatchObject({
      number: 3,
      hotfix: false,
      cutBy: people.jake.aadObjectId,
      contents: { source: { system: 'github', login: 'octocat', tag: '2026.4.0-rc.3', repository: `${OWNER}/${REPO}`, firstCommitAt: '2026-03-23T09:00:00.000Z' } },
    });
    expect(s.github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /repos/${OWNER}/${REPO}/tags`,
      `GET /repos/${OWNER}/${REPO}/compare/2026.3.0...2026.4.0-rc.3`,
      `GET /repos/${OWNER}/${REPO}/pulls`,
    ]);
    expect(s.github.malformed).toEqual([]);

    const askIn = '19:engineering0001@thread.tacv2;messageid=55001';
    const history = await s.h.say(people.luis, 'history 2026.4.0', { conversationId: askIn });
    expect(JSON.stringify(history.calls)).toContain('Jake Edgington cut rc.3 from GitHub (published by @octocat)');

    // The typed command keeps working: rc.4 typed by Jake supersedes the webhook's rc.3.
    const typed = await s.h.say(people.jake, 'rc 2026.4.0-rc.4\nnotes: https://wiki.lendos.example/releases/2026.4.0');
    expect(refusalsIn(typed.calls)).toEqual([]);
    expect(textOf(s.h.latestCard('2026.4.0-rc.3'), 'status')).toContain('Superseded by rc.4');
    expect(textOf(s.h.latestCard('2026.4.0-rc.4'), 'cut')).toBe('Cut by Jake Edgington · Thu 9 Apr 2026, 10:05 EDT');
  });

  test('without sections in the body, the contents are the pull requests merged since the last release, sorted by label', async () => {
    const answer = await deliver(s.h.bot.url, { event: 'release', payload: releasePayload({ tag: '2026.4.0-rc.3', body: 'Candidate for April.' }) });
    expect(answer.status).toBe(202);
    await processed(s.h);
    const card = s.h.latestCard('2026.4.0-rc.3');
    // #39 predates 2026.3.0 and #44 was never merged; unlabelled #43 counts as a feature.
    expect(textOf(card, 'features')).toBe('Features\n• Loan export to CSV (#41)\n• Faster portfolio search (#43)');
    expect(textOf(card, 'fixes')).toBe('Fixes\n• Fix rounding in APR (#42)');
    expect(textOf(card, 'known-issues')).toBe('Known issues\nNone reported');
    expect(findHotfixBadge(card)).toBe(false);
    const pulls = s.github.requests.find((r) => r.path.endsWith('/pulls'))!;
    expect(Object.fromEntries(pulls.query)).toEqual({ state: 'closed', sort: 'updated', direction: 'desc', per_page: '100', page: '1' });
    expect(s.github.malformed).toEqual([]);
  });

  test('a hotfix label on one of its pull requests, or "hotfix" in the release name, makes the RC a hotfix', async () => {
    const fix = s.github.commit('Fix statement totals (#45)', '2026-04-09T09:00:00Z');
    s.github.pull({ number: 45, title: 'Fix statement totals', labels: ['bug', 'hotfix'], mergeCommitSha: fix, mergedAt: '2026-04-09T09:00:00Z', updatedAt: '2026-04-09T09:01:00Z' });
    s.github.tag('2026.4.1-rc.1', fix);
    await deliver(s.h.bot.url, { event: 'release', payload: releasePayload({ tag: '2026.4.1-rc.1', body: '' }) });
    await deliver(s.h.bot.url, { event: 'release', payload: releasePayload({ tag: '2026.4.0-rc.3', name: '2026.4.0-rc.3 (hotfix for APR)', body: BODY }) });
    await processed(s.h);
    expect(findHotfixBadge(s.h.latestCard('2026.4.1-rc.1'))).toBe(true);
    expect(textOf(s.h.latestCard('2026.4.1-rc.1'), 'fixes')).toContain('Fix statement totals (#45)');
    expect(findHotfixBadge(s.h.latestCard('2026.4.0-rc.3'))).toBe(true);
  });

  test('a forged, missing or SHA-1-only signature is 401 and changes nothing', async () => {
    const payload = releasePayload({ tag: '2026.4.0-rc.3', body: BODY });
    const forged = await deliver(s.h.bot.url, { event: 'release', payload, secret: 'not-the-secret' });
    const missing = await deliver(s.h.bot.url, { event: 'release', payload, signature: null });
    const sha1Only = await deliver(s.h.bot.url, { event: 'release', payload, signature: null, headers: {} });
    const garbage = await deliver(s.h.bot.url, { event: 'release', payload, signature: 'sha256=abc' });
    // Signed over a different body than the one sent.
    const replayed = await deliver(s.h.bot.url, { event: 'release', payload, signature: signature256(WEBHOOK_SECRET, JSON.stringify({ ...payload, action: 'edited' })) });
    for (const answer of [forged, missing, sha1Only, garbage, replayed]) expect(answer.status).toBe(401);
    const notJson = await fetch(`${s.h.bot.url}/api/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'release' }, body: '{not json' });
    expect(notJson.status).toBe(401);
    await s.h.settle();
    expect(await releaseDoc(s.h, '2026.4.0')).toBeUndefined();
    expect(await s.h.store.read('github-delivery:' + forged.delivery, forged.delivery)).toBeUndefined();
    expect(s.h.connector.calls).toEqual([]);
    expect(s.github.requests).toEqual([]);
  });

  test('a redelivered delivery id changes nothing and posts nothing', async () => {
    const payload = releasePayload({ tag: '2026.4.0-rc.3', body: BODY });
    const first = await deliver(s.h.bot.url, { event: 'release', payload });
    await processed(s.h);
    const callsAfterFirst = s.h.connector.calls.length;
    const revision = (await releaseDoc(s.h, '2026.4.0'))!.state.revision;
    const again = await deliver(s.h.bot.url, { event: 'release', payload, delivery: first.delivery });
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    await processed(s.h);
    expect(s.h.connector.calls).toHaveLength(callsAfterFirst);
    expect((await releaseDoc(s.h, '2026.4.0'))!.state.revision).toBe(revision);
  });

  test('events the bot does not act on are acknowledged and ignored', async () => {
    const answers = await Promise.all([
      deliver(s.h.bot.url, { event: 'ping', payload: { zen: 'Keep it logically awesome.', hook_id: 1 } }),
      deliver(s.h.bot.url, { event: 'issues', payload: { action: 'opened', issue: { number: 1 } } }),
      deliver(s.h.bot.url, { event: 'release', payload: releasePayload({ tag: '2026.4.0-rc.3', action: 'edited' }) }),
      deliver(s.h.bot.url, { event: 'release', payload: releasePayload({ tag: '2026.4.0-rc.3', action: 'prereleased' }) }),
      deliver(s.h.bot.url, { event: 'release', payload: releasePayload({ tag: '2026.4.0', prerelease: false }) }),
      deliver(s.h.bot.url, { event: 'release', payload: releasePayload({ tag: 'nightly-2026-04-09' }) }),
      deliver(s.h.bot.url, { event: 'push', payload: tagPushPayload({ tag: '2026.4.0-rc.3', sha: s.shas['2026.4.0-rc.3']! }) }),
      deliver(s.h.bot.url, { event: 'release', payload: releasePayload({ tag: '2026.4.0-rc.3', owner: 'someone-else' }) }),
    ]);
    expect(answers.map((a) => [a.status, a.body.status])).toEqual(Array(8).fill([200, 'ignored']));
    expect(answers[4]!.body.reason).toBe('2026.4.0 is a full release, not a pre-release');
    expect(answers[7]!.body.reason).toBe(`someone-else/${REPO} is not the configured repository ${OWNER}/${REPO}`);
    await s.h.settle();
    expect(await releaseDoc(s.h, '2026.4.0')).toBeUndefined();
    expect(s.h.connector.calls).toEqual([]);
  });

  test('a signed payload that is not what GitHub sends is 400 and changes nothing', async () => {
    const answer = await deliver(s.h.bot.url, { event: 'release', payload: { action: 'published', release: { tag_name: '2026.4.0-rc.3' } } });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('not a release event payload');
    const noDelivery = await deliver(s.h.bot.url, { event: 'release', payload: releasePayload({ tag: '2026.4.0-rc.3' }), headers: { 'x-github-delivery': '' } });
    expect(noDelivery.status).toBe(400);
    await s.h.settle();
    expect(await releaseDoc(s.h, '2026.4.0')).toBeUndefined();
  });

  test('GitHub down: the delivery is kept and the cut happens once GitHub answers again, even across a restart', async () => {
    s.github.failNext(1_000, 503);
    const answer = await deliver(s.h.bot.url, { event: 'release', payload: releasePayload({ tag: '2026.4.0-rc.3', body: 'No sections here.' }) });
    expect(answer.status).toBe(202);
    await waitFor(() => s.github.requests.length >= 2);
    await s.h.restart();
    expect(await releaseDoc(s.h, '2026.4.0')).toBeUndefined();
    s.github.failNext(0, 503);
    await waitFor(async () => Boolean((await releaseDoc(s.h, '2026.4.0'))?.threads[3]), { timeoutMs: 15_000 });
    await processed(s.h);
    expect(s.h.connector.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(1);
    expect(textOf(s.h.latestCard('2026.4.0-rc.3'), 'fixes')).toBe('Fixes\n• Fix rounding in APR (#42)');
  });
});

describe('an RC cut from a pushed tag (github.cutOn "tag")', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setUp((config) => (config.github.cutOn = 'tag'));
  });
  afterAll(async () => {
    await s.h.close();
    await s.github.close();
  });

  test('the tag push cuts the RC from its pull requests; the create event for the same tag changes nothing more; releases are ignored', async () => {
    const release = await deliver(s.h.bot.url, { event: 'release', payload: releasePayload({ tag: 'v2026.5.0-rc.1' }) });
    expect(release.body.status).toBe('ignored');
    const push = await deliver(s.h.bot.url, { event: 'push', payload: tagPushPayload({ tag: 'v2026.5.0-rc.1', sha: s.shas['2026.4.0-rc.3']!, message: 'Hotfix: APR rounding' }) });
    const create = await deliver(s.h.bot.url, { event: 'create', payload: createPayload({ ref: 'v2026.5.0-rc.1' }) });
    const branch = await deliver(s.h.bot.url, { event: 'create', payload: createPayload({ ref: 'feature/x', refType: 'branch' }) });
    expect([push.status, create.status, branch.body.status]).toEqual([202, 202, 'ignored']);
    await processed(s.h);
    expect(s.h.connector.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(1);
    const card = s.h.latestCard('2026.5.0-rc.1');
    expect(textOf(card, 'cut')).toContain('from GitHub (@octocat)');
    // Compared with the last final release (2026.3.0), not with the RCs of 2026.4.0.
    expect(textOf(card, 'features')).toBe('Features\n• Loan export to CSV (#41)\n• Faster portfolio search (#43)');
    expect(textOf(card, 'notes')).toBe(`[Release notes](https://github.com/${OWNER}/${REPO}/compare/2026.3.0...v2026.5.0-rc.1)`);
    expect(findHotfixBadge(card)).toBe(true); // "Hotfix" in the tagged commit's message
    // Each delivery says what came of it: one cut, and the other delivery of the same tag found it done.
    const outcome = async (delivery: string) => (await s.h.store.read<any>(`github-delivery:${delivery}`, delivery))!.doc.outcome.kind;
    expect((await Promise.all([outcome(push.delivery), outcome(create.delivery)])).sort()).toEqual(['cut', 'duplicate']);
    expect(s.github.malformed).toEqual([]);
  });
});

describe('promotion publishes the final release on GitHub (github.publishOnPromotion)', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setUp((config) => (config.github.publishOnPromotion = true));
  });
  afterAll(async () => {
    await s.h.close();
    await s.github.close();
  });

  test('creates 2026.4.0 at the commit of 2026.4.0-rc.3 once, and says so in the thread', async () => {
    await deliver(s.h.bot.url, { event: 'release', payload: releasePayload({ tag: '2026.4.0-rc.3', body: BODY }) });
    await processed(s.h);
    const thread = s.h.thread('2026.4.0-rc.3');
    for (const { person } of LEADS) {
      const approved = await s.h.say(person, 'approve rc.3', { conversationId: thread.conversationId });
      expect(refusalsIn(approved.calls)).toEqual([]);
    }
    await s.h.say(people.jake, 'promote rc.3', { conversationId: thread.conversationId });
    await processed(s.h);
    expect(s.github.releases).toEqual([
      expect.objectContaining({
        tag_name: '2026.4.0',
        target_commitish: s.shas['2026.4.0-rc.3'],
        name: '2026.4.0',
        prerelease: false,
        body: `Promoted from 2026.4.0-rc.3 by Jake Edgington.\n\nRelease notes: https://github.com/${OWNER}/${REPO}/releases/tag/2026.4.0-rc.3`,
      }),
    ]);
    expect(s.h.textsIn(thread.conversationId)).toContain(`🏷️ 2026.4.0 is published on GitHub: https://github.com/${OWNER}/${REPO}/releases/tag/2026.4.0`);
    expect(s.github.malformed).toEqual([]);
  });
});

function findHotfixBadge(card: any): boolean {
  return findById(card, 'hotfix-badge') !== undefined;
}

/** Polls an asynchronous check (the store, a recorded request) until it passes, bounded. */
async function waitFor(check: () => boolean | Promise<boolean>, options: { timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
