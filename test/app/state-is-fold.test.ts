import Database from 'better-sqlite3';
import fc from 'fast-check';
import { Harness, exampleConfig, people, Person, startHarness } from '../helpers/bot-harness';
import { LoopbackGitHub, startLoopbackGitHub } from '../helpers/loopback-github';
import { LoopbackGraph, loopbackMeetingScheduler, startLoopbackGraph } from '../helpers/loopback-graph';
import { createGitHubBugTracker } from '../../src/integrations/bug-tracker';
import { replay } from '../../src/domain/release';
import { replayDeployment } from '../../src/domain/deployment';
import { applyLock } from '../../src/domain/locks';
import { NO_DEPUTIES, applyDeputyEvent } from '../../src/domain/deputies';
import { DeploymentRecord, EnvironmentDocument, ReleaseDocument, ReleaseHistoryDocument, ReleaseIndexDocument, ThreadIndexDocument } from '../../src/app/documents';
import { rootsOf } from '../../src/app/release-records';
import { DeputiesDocument } from '../../src/app/deputy-service';
import { DeploymentLogDocument } from '../../src/app/deployment-log';
import { EnvironmentLock } from '../../src/domain/locks';
import { extendChain } from '../../src/domain/event-chain';
import { PRODUCTION_SUPPORT, refusalsIn, scheduleText } from '../deployments/deployment-view';

// The promise behind the audit trail: every stored state is the fold of its stored events. Random
// runs of people's commands (decisions, new RCs, deputies, locks, read-only questions, whole
// deployments) go over real HTTP into the bot, with the effects only delivery learns — the RC
// thread's root post (loopback Bot Connector), the deployment meeting (loopback Graph) and the
// GitHub issue of a bug (loopback GitHub) — and then every document in the store is read straight
// from its SQLite file and checked by its kind. A kind the test does not know fails it, so a new
// kind has to say how its state relates to its events.

const config = exampleConfig();
const mailboxes = config.people.map((p) => ({ aadObjectId: p.aadObjectId, email: p.email!, name: p.name }));
const LEADS: readonly Person[] = [people.luis, people.rafaella, people.steven, people.bosko, people.jake];

/** Kinds with no events of their own: bindings, delivery bookkeeping and answered-activity marks. */
const NOT_EVENT_SOURCED = new Set(['channels', 'threadStarts', 'welcome', 'githubDelivery', 'answered']);

type Step =
  | { readonly kind: 'decide'; readonly person: Person; readonly text: string }
  | { readonly kind: 'ask'; readonly person: Person; readonly text: string }
  | { readonly kind: 'cut' }
  | { readonly kind: 'anywhere'; readonly person: Person; readonly text: string };

const person = fc.constantFrom(...LEADS, people.mallory);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('decide' as const), person, text: fc.constantFrom('approve', 'reject {rc} fails the smoke suite', 'revoke', 'qa pass {rc} all green', 'qa fail {rc} two regressions') }),
  fc.record({ kind: fc.constant('ask' as const), person, text: fc.constantFrom('status', 'history') }),
  fc.constant({ kind: 'cut' as const }),
  fc.record({
    kind: fc.constant('anywhere' as const),
    person: fc.constantFrom(people.steven, people.jake, people.luis),
    text: fc.constantFrom('away until 2026-07-20 deputy bosko', 'back', 'lock "BXCI Staging" data refresh for 2h', 'unlock "BXCI Staging"'),
  }),
);
const scenario = fc.record({ steps: fc.array(step, { maxLength: 10 }), churn: fc.integer({ min: 0, max: 45 }), deploy: fc.boolean() });

describe('stored state = fold(stored events), for every document kind', () => {
  let h: Harness;
  let github: LoopbackGitHub;
  let graph: LoopbackGraph;
  let clock = new Date('2026-05-04T12:00:00Z');
  let run = 0;
  const kindsChecked = new Set<string>();
  let deployments = 0;

  beforeAll(async () => {
    github = await startLoopbackGitHub();
    graph = await startLoopbackGraph({ mailboxes });
    h = await startHarness({
      now: () => clock,
      meetings: loopbackMeetingScheduler(graph),
      bugTracker: createGitHubBugTracker({ baseUrl: github.url, token: github.token, owner: github.owner, repo: github.repo }),
    });
  });
  afterAll(async () => {
    await h?.close();
    await graph?.close();
    await github?.close();
  });

  /** Plays one scenario on a release of its own; resolves with what its effects should have left. */
  async function play({ steps, churn, deploy }: { steps: readonly Step[]; churn: number; deploy: boolean }): Promise<{ version: string; deployed: boolean }> {
    run += 1;
    const version = `2026.7.${run}`;
    clock = new Date(Date.UTC(2026, 4, 3 + run * 2, 12)); // a weekday-or-weekend noon of its own, windows never overlap
    let rc = 1;
    const cut = async () => {
      await h.say(people.jake, `rc ${version}-rc.${rc} notes: https://notes.example/${version}`);
      return { conversationId: h.thread(`${version}-rc.${rc}`).conversationId };
    };
    let thread = await cut();
    for (const s of steps) {
      if (s.kind === 'cut') {
        rc += 1;
        thread = await cut();
      } else if (s.kind === 'anywhere') {
        await h.say(s.person, s.text, { personal: true });
      } else {
        const text = s.text.includes('{rc}') ? s.text.replace('{rc}', `rc.${rc}`) : `${s.text}${s.kind === 'decide' ? ` rc.${rc}` : ''}`;
        await h.say(s.person, text, thread);
      }
    }
    for (let i = 0; i < churn; i += 1) await h.say(people.luis, i % 2 === 0 ? `approve rc.${rc}` : `revoke rc.${rc}`, thread);
    // A freeze on staging each run, lifted every other run (not drawn at random, so the seeded runs stay as they were).
    await h.say(people.steven, `freeze "BXCI Staging" for 1d reason: load test ${run}`, { personal: true });
    if (run % 2 === 0) await h.say(people.jake, 'unfreeze "BXCI Staging"', { personal: true });
    if (!deploy) return { version, deployed: false };

    rc += 1;
    thread = await cut();
    // Each names their own area: Bosko may be standing in for another lead by now.
    const areas = ['product', 'qa', 'daml', 'stream', 'platform'];
    for (const [i, lead] of LEADS.entries()) await h.say(lead, `approve rc.${rc} for ${areas[i]}`, thread);
    const day = new Date(clock.getTime());
    const at = `${day.toISOString().slice(0, 10)} 22:00`; // 22:00 EDT: outside business hours
    const commands: Array<[Person, string, Date?]> = [
      [people.jake, `promote rc.${rc}`],
      [people.steven, scheduleText(version, 'BXCI Production', at)],
      [people.steven, 'confirm on-call'],
      [people.steven, 'start', new Date(day.getTime() + 14 * 3_600_000)], // 02:00 UTC the next day
      [people.jake, 'ready'],
      [people.jake, 'stable'],
      [people.luis, 'smoke pass'],
      [people.bosko, 'smoke pass'],
      [people.jake, 'live'],
    ];
    for (const [who, text, when] of commands) {
      if (when) clock = when;
      const { calls } = await h.say(who, text, thread);
      expect(refusalsIn(calls)).toEqual([]);
    }
    clock = new Date(clock.getTime() + 3_600_000);
    const bug = await h.say(people.rafaella, `bug Totals off by a cent in ${version}`, { conversationId: PRODUCTION_SUPPORT });
    expect(refusalsIn(bug.calls)).toEqual([]);
    return { version, deployed: true };
  }

  function storedDocuments(): Array<{ pk: string; id: string; doc: { type?: string } & Record<string, unknown> }> {
    const db = new Database(h.storePath, { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('SELECT pk, id, body FROM documents').all() as Array<{ pk: string; id: string; body: string }>;
      return rows.map((row) => ({ pk: row.pk, id: row.id, doc: JSON.parse(row.body) }));
    } finally {
      db.close();
    }
  }

  function expectRecordIsFold(record: DeploymentRecord): void {
    expect(replayDeployment(record.events)).toEqual(record.state);
  }

  function expectEveryStateIsItsFold(): void {
    const documents = storedDocuments();
    const byKey = new Map(documents.map((d) => [`${d.pk}\u0000${d.id}`, d.doc]));
    for (const { pk, id, doc } of documents) {
      kindsChecked.add(String(doc.type));
      switch (doc.type) {
        case 'release': {
          const release = doc as unknown as ReleaseDocument;
          const chunks = Array.from({ length: release.archivedChunks ?? 0 }, (_, n) => byKey.get(`${pk}\u0000${pk}~history~${n}`) as unknown as ReleaseHistoryDocument);
          chunks.forEach((chunk) => expect(chunk).toBeDefined());
          const events = [...chunks.flatMap((chunk) => chunk.events), ...release.events];
          const folded = replay(release.state.version, events);
          expect(folded).toEqual(release.state);
          // Where each RC thread's root is comes from the events too (rcThreadPosted).
          expect(release.threads).toEqual(rootsOf(folded));
          break;
        }
        case 'releaseHistory':
          expect(byKey.get(`${pk}\u0000${pk}`)).toMatchObject({ type: 'release' }); // folded with its release above
          break;
        case 'environment': {
          const environment = doc as unknown as EnvironmentDocument;
          environment.deployments.forEach(expectRecordIsFold);
          // A lock is its last event's: the trimmed tail folds to the same lock.
          expect((environment.lockEvents ?? []).reduce<EnvironmentLock | undefined>(applyLock, undefined)).toEqual(environment.lock);
          // Declared freezes have no state beside their events (declaredFreezes folds them); the kept
          // lock and freeze events chain on from their recorded base to the recorded head.
          for (const [events, chain] of [[environment.lockEvents, environment.lockChain], [environment.freezeEvents, environment.freezeChain]] as const) {
            if (!chain) continue;
            expect({ head: extendChain({ head: chain.base, length: chain.dropped }, '', events ?? []).head, length: chain.dropped + (events ?? []).length }).toEqual({
              head: chain.head,
              length: chain.length,
            });
          }
          break;
        }
        case 'deploymentLog':
          (doc as unknown as DeploymentLogDocument).deployments.forEach(expectRecordIsFold);
          break;
        case 'deputies': {
          const deputies = doc as unknown as DeputiesDocument;
          expect(deputies.events.reduce(applyDeputyEvent, NO_DEPUTIES)).toEqual(deputies.state);
          break;
        }
        case 'thread': {
          // The thread index names a root the release's events recorded.
          const index = doc as unknown as ThreadIndexDocument;
          const release = byKey.get(`${index.release}\u0000${index.release}`) as unknown as ReleaseDocument;
          expect(release.state.rcs.find((rc) => rc.number === index.rc)?.root?.conversationId).toBe(index.conversationId);
          break;
        }
        case 'releaseIndex':
          for (const entry of (doc as unknown as ReleaseIndexDocument).releases) {
            const release = byKey.get(`${entry.version}\u0000${entry.version}`) as unknown as ReleaseDocument;
            expect(release.state.rcs.map((rc) => rc.number)).toContain(entry.currentRc);
          }
          break;
        default:
          expect({ pk, id, type: doc.type, known: NOT_EVENT_SOURCED.has(String(doc.type)) }).toEqual({ pk, id, type: doc.type, known: true });
      }
    }
  }

  it('holds after random commands, deputies, locks and whole deployments with their meeting, GitHub issue and thread roots', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (input) => {
        const { version, deployed } = await play(input);
        await h.settle();
        expectEveryStateIsItsFold();

        // The effects are in the events, not patched beside them.
        const release = storedDocuments().find((d) => d.pk === version && d.id === version)!.doc as unknown as ReleaseDocument;
        // Every RC's root is recorded, by an event (the state equals the fold, checked above).
        for (const rc of release.state.rcs) expect(rc.root?.conversationId).toBe(h.thread(`${version}-rc.${rc.number}`).conversationId);
        if (!deployed) return;
        deployments += 1;
        const environment = storedDocuments().find((d) => d.id === 'bxci-production' && d.doc.type === 'environment')!.doc as unknown as EnvironmentDocument;
        const record = environment.deployments.find((d) => d.state.version === version)!;
        const issue = github.issues.find((i) => i.labels.includes(`release:${version}`))!;
        const meeting = [...graph.events.values()].find((e) => e.subject === `Deploy ${version} to BXCI Production`)!;
        expect(record.events.filter((e) => e.type === 'meetingRecorded' || e.type === 'bugFiled')).toEqual([
          expect.objectContaining({ type: 'meetingRecorded', joinUrl: meeting.joinUrl }),
          expect.objectContaining({ type: 'bugFiled', bug: 0, url: issue.html_url, issue: issue.number }),
        ]);
        expect(record.state.bugs[0]).toMatchObject({ url: issue.html_url, issue: issue.number });
        expect(record.state.meeting?.joinUrl).toBe(meeting.joinUrl);
      }),
      { numRuns: 6, seed: Number(process.env.FOLD_SEED ?? 8) },
    );
    // The runs reached every event-sourced kind, and at least one whole deployment with its effects.
    expect([...kindsChecked].filter((kind) => !NOT_EVENT_SOURCED.has(kind)).sort()).toEqual(
      ['deploymentLog', 'deputies', 'environment', 'release', 'releaseHistory', 'releaseIndex', 'thread'],
    );
    expect(deployments).toBeGreaterThan(0);
  }, 240_000);
});
