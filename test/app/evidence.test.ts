import { buildEvidence, EvidencePack, verifyEvidence } from '../../src/app/evidence';
import { evidenceMarkdown } from '../../src/app/evidence-markdown';
import { DeploymentRecord } from '../../src/app/documents';
import { BusinessHours } from '../../src/domain/business-hours';
import { decideDeployment } from '../../src/domain/deployment';
import { canonicalJson, chainDigests, extendChain } from '../../src/domain/event-chain';
import { decideRelease } from '../../src/domain/release';
import { Actor, DeploymentCommand, DeploymentEvent, DeploymentState, ReleaseCommand, ReleaseEvent, ReleaseState } from '../../src/domain/types';
import { VERSION, bosko, contents, crew, jake, luis, rafaella, steven } from '../domain/fixtures';

// The evidence pack, built from a history the real state machines produced: a rejected rc.1
// superseded by rc.2, QA, five approvals, the promotion, and one deployment with a reschedule, an
// on-call override, a failed-then-passed smoke test, a live override and a bug.

const hours: BusinessHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' };
const ZONE = 'America/New_York';
const at = (iso: string) => new Date(iso);

function releaseHistory(): { state: ReleaseState; events: ReleaseEvent[] } {
  const steps: Array<[Actor, ReleaseCommand, string]> = [
    [jake, { type: 'cutRc', rc: 1, hotfix: false, contents }, '2026-04-06T14:00:00Z'],
    [rafaella, { type: 'reject', rc: 1, reason: 'regression in statements' }, '2026-04-06T15:00:00Z'],
    [jake, { type: 'cutRc', rc: 2, hotfix: false, contents: { ...contents, fixes: ['Statements regression'] } }, '2026-04-07T14:00:00Z'],
    [rafaella, { type: 'recordQa', rc: 2, result: 'pass', summary: 'https://ci.lendos.example/regression/812' }, '2026-04-07T16:00:00Z'],
    [luis, { type: 'approve', rc: 2, comment: 'looks good 👍\nthanks!' }, '2026-04-07T17:00:00Z'],
    [rafaella, { type: 'approve', rc: 2 }, '2026-04-07T17:01:00Z'],
    [steven, { type: 'approve', rc: 2 }, '2026-04-07T17:02:00Z'],
    [bosko, { type: 'approve', rc: 2 }, '2026-04-07T17:03:00Z'],
    [jake, { type: 'approve', rc: 2 }, '2026-04-07T17:04:00Z'],
    [bosko, { type: 'revoke', rc: 2, comment: 're-checking the feed' }, '2026-04-07T17:05:00Z'],
    [bosko, { type: 'approve', rc: 2 }, '2026-04-07T17:06:00Z'],
    [jake, { type: 'promote', rc: 2 }, '2026-04-08T13:00:00Z'],
  ];
  let state: ReleaseState | undefined;
  const events: ReleaseEvent[] = [];
  for (const [actor, command, when] of steps) {
    const outcome = decideRelease(command, state, { actor, now: at(when), directory: crew, version: VERSION });
    if (outcome.kind === 'refusal') throw new Error(`${command.type}: ${outcome.reason}`);
    state = outcome.state;
    events.push(...outcome.events);
  }
  return { state: state!, events };
}

function deploymentRecord(): DeploymentRecord {
  const context = { directory: crew, businessHours: hours, timeZone: ZONE, release: { promoted: true, hotfix: false } };
  const environment = { key: 'bxci-production', name: 'BXCI Production' };
  const steps: Array<[Actor, DeploymentCommand, string]> = [
    [
      steven,
      {
        type: 'schedule',
        id: '2026.4.0@bxci-production.1',
        version: VERSION,
        environment,
        window: { start: at('2026-04-15T02:00:00Z'), end: at('2026-04-15T03:30:00Z') },
        engineer: jake.id,
        validators: [luis.id, bosko.id],
      },
      '2026-04-08T14:00:00Z',
    ],
    [steven, { type: 'confirmOnCall', person: steven.id }, '2026-04-08T14:01:00Z'],
    [steven, { type: 'reschedule', window: { start: at('2026-04-16T02:00:00Z'), end: at('2026-04-16T03:30:00Z') } }, '2026-04-09T14:00:00Z'],
    [steven, { type: 'overrideOnCall', person: bosko.id, reason: 'Steven is travelling' }, '2026-04-09T14:05:00Z'],
    [steven, { type: 'start' }, '2026-04-16T02:02:00Z'],
    [jake, { type: 'ready' }, '2026-04-16T02:40:00Z'],
    [jake, { type: 'stable' }, '2026-04-16T02:50:00Z'],
    [luis, { type: 'smoke', result: 'fail', notes: 'statements 500' }, '2026-04-16T03:00:00Z'],
    [luis, { type: 'smoke', result: 'pass', notes: 'after cache flush' }, '2026-04-16T03:10:00Z'],
    [steven, { type: 'live', overrideReason: 'Bosko unreachable; Luis checked his areas' }, '2026-04-16T03:20:00Z'],
    [luis, { type: 'recordBug', title: 'Export times out' }, '2026-04-16T09:00:00Z'],
  ];
  let state: DeploymentState | undefined;
  const events: DeploymentEvent[] = [];
  for (const [actor, command, when] of steps) {
    const outcome = decideDeployment(command, state, { ...context, actor: actor, now: at(when) });
    if (outcome.kind === 'refusal') throw new Error(`${command.type}: ${outcome.reason}`);
    state = outcome.state;
    events.push(...outcome.events);
  }
  const withUrl = { ...state!, bugs: state!.bugs.map((b) => ({ ...b, url: 'https://github.com/lendos/lendos-platform/issues/101' })) };
  return {
    state: withUrl,
    events,
    posts: { notice: { conversationId: '19:general;messageid=1', serviceUrl: 'https://smba.example/', activityId: 'notice-1' } },
    meetingLink: 'https://teams.microsoft.com/l/meeting/new?subject=Deploy',
    proposedOnCall: steven.id,
    chain: extendChain(undefined, withUrl.id, events),
  };
}

function pack(edit: (input: { events: ReleaseEvent[]; record: DeploymentRecord }) => void = () => undefined): EvidencePack {
  const { state, events } = releaseHistory();
  const chain = extendChain(undefined, VERSION, events);
  const record = deploymentRecord();
  const input = { events: events.map((e) => ({ ...e })), record: { ...record, events: record.events.map((e) => ({ ...e })) } };
  edit(input);
  return buildEvidence({
    version: VERSION,
    state,
    events: input.events,
    chain,
    deployments: [input.record],
    directory: crew,
    timeZone: ZONE,
    generatedAt: at('2026-04-20T12:00:00Z'),
  });
}

describe('the evidence pack of a release', () => {
  const evidence = pack();

  test('lists every RC with its contents, QA and each decision: person with Entra id, area, time, deputy, comment', () => {
    expect(evidence.rcs.map((rc) => [rc.version, rc.status, rc.supersededBy])).toEqual([
      ['2026.4.0-rc.1', 'superseded', 2],
      ['2026.4.0-rc.2', 'promoted', null],
    ]);
    const [rc1, rc2] = evidence.rcs;
    expect(rc1!.decisions).toEqual([
      {
        kind: 'rejected',
        area: { key: 'qa', name: 'QA' },
        person: { name: 'Rafaella Barrocas', entraId: rafaella.id },
        at: '2026-04-06T15:00:00.000Z',
        deputyFor: null,
        comment: 'regression in statements',
        detail: null,
      },
      expect.objectContaining({ kind: 'voided', area: { key: 'qa', name: 'QA' }, person: { name: 'Jake Edgington', entraId: jake.id }, detail: 'voided by 2026.4.0-rc.2' }),
    ]);
    expect(rc2!.fixes).toEqual(['Statements regression']);
    expect(rc2!.qa).toEqual([{ result: 'pass', summary: 'https://ci.lendos.example/regression/812', by: { name: 'Rafaella Barrocas', entraId: rafaella.id }, at: '2026-04-07T16:00:00.000Z' }]);
    // A comment written with a decision is in the pack as written.
    expect(rc2!.decisions.map((d) => d.comment)).toEqual(['looks good 👍\nthanks!', null, null, null, null, 're-checking the feed', null]);
    expect(rc2!.decisions.map((d) => `${d.kind} ${d.area.key} ${d.person.name}`)).toEqual([
      'approved product Luis Garcia',
      'approved qa Rafaella Barrocas',
      'approved daml Steven Inouye',
      'approved stream Bosko Kocev',
      'approved platform Jake Edgington',
      'revoked stream Bosko Kocev',
      'approved stream Bosko Kocev',
    ]);
    expect(rc2!.decisions[5]!.detail).toBe('withdrew the approval');
    expect(evidence.promotion).toEqual({ rc: '2026.4.0-rc.2', by: { name: 'Jake Edgington', entraId: jake.id }, at: '2026-04-08T13:00:00.000Z', notesUrl: contents.notesUrl });
  });

  test('lists the deployment: who scheduled it, the meeting, the notice, on-call, every step, smoke results, the live post, overrides and bugs', () => {
    const [d] = evidence.deployments;
    expect(d).toMatchObject({
      title: 'Deploy 2026.4.0 to BXCI Production',
      outcome: 'live',
      scheduledBy: { name: 'Steven Inouye', entraId: steven.id },
      meeting: { link: 'https://teams.microsoft.com/l/meeting/new?subject=Deploy', recording: 'reminder to turn recording on was shown' },
      notice: { posted: true, activityId: 'notice-1' },
      proposedOnCall: { name: 'Steven Inouye', entraId: steven.id },
      live: { at: '2026-04-16T03:20:00.000Z', by: { name: 'Steven Inouye', entraId: steven.id }, post: '2026.4.0 live in BXCI Production.' },
      bugs: [{ title: 'Export times out', url: 'https://github.com/lendos/lendos-platform/issues/101', at: '2026-04-16T09:00:00.000Z', by: { name: 'Luis Garcia', entraId: luis.id } }],
    });
    expect(d!.onCall.map((c) => [c.kind, c.person.name, c.reason])).toEqual([
      ['confirmed', 'Steven Inouye', null],
      ['voided by reschedule', 'Steven Inouye', null],
      ['overridden', 'Bosko Kocev', 'Steven is travelling'],
    ]);
    expect(d!.overrides.map((o) => `${o.what}: ${o.reason}`)).toEqual([
      'on-call: Bosko Kocev covers: Steven is travelling',
      "live without Bosko Kocev's pass: Bosko unreachable; Luis checked his areas",
    ]);
    expect(d!.steps.map((s) => `${s.by.name}: ${s.what}`)).toEqual([
      'Steven Inouye: Scheduled for 2026-04-15T02:00:00.000Z – 2026-04-15T03:30:00.000Z; engineer Jake Edgington; validators Luis Garcia, Bosko Kocev',
      'Steven Inouye: On-call confirmed: Steven Inouye',
      'Steven Inouye: Rescheduled from 2026-04-15T02:00:00.000Z – 2026-04-15T03:30:00.000Z to 2026-04-16T02:00:00.000Z – 2026-04-16T03:30:00.000Z',
      'Steven Inouye: On-call overridden: Bosko Kocev covers (Steven is travelling)',
      'Steven Inouye: Started the window',
      'Jake Edgington: Ready: validators pulled in',
      'Jake Edgington: Environment stable',
      'Luis Garcia: Smoke fail: statements 500',
      'Luis Garcia: Smoke pass: after cache flush (was fail)',
      'Steven Inouye: Live, overriding missing smoke passes (Bosko unreachable; Luis checked his areas)',
      'Luis Garcia: Bug reported: Export times out',
    ]);
    expect(d!.smoke).toEqual([{ validator: { name: 'Luis Garcia', entraId: luis.id }, result: 'pass', notes: 'after cache flush', at: '2026-04-16T03:10:00.000Z' }]);
  });

  test('chains every stream: each digest covers the previous one, and matches the head written with the events', () => {
    expect(evidence.streams.map((s) => [s.kind, s.id, s.status, s.events.length])).toEqual([
      ['release', '2026.4.0', 'intact', 13],
      ['deployment', '2026.4.0@bxci-production.1', 'intact', 11],
    ]);
    const release = evidence.streams[0]!;
    expect(release.events.map((e) => e.digest)).toEqual(chainDigests('2026.4.0', release.events.map((e) => e.event)));
    expect(evidence.problems).toEqual([]);
    expect(verifyEvidence(evidence)).toEqual({ ok: true, problems: [] });
  });

  test('is deterministic: the same history gives the same digests; another export time changes only the pack digest', () => {
    expect(pack().digest).toBe(evidence.digest);
    const { state, events } = releaseHistory();
    const later = buildEvidence({
      version: VERSION,
      state,
      events,
      chain: extendChain(undefined, VERSION, events),
      deployments: [deploymentRecord()],
      directory: crew,
      timeZone: ZONE,
      generatedAt: at('2026-05-01T00:00:00Z'),
    });
    expect([later.historyDigest, later.digest === evidence.digest]).toEqual([evidence.historyDigest, false]);
  });

  test('one event changed in the store (the recorded head stays): the pack says so and verification fails', () => {
    const edited = pack(({ events }) => {
      const rejection = events.find((e) => e.type === 'rejected')!;
      Object.assign(rejection, { reason: 'no reason' });
    });
    expect(edited.streams[0]!.status).toBe('broken');
    expect(edited.problems).toEqual(['2026.4.0: the 13 stored events no longer match the chain head written with them: an event was changed outside the bot']);
    expect(verifyEvidence(edited).ok).toBe(false);
    expect(edited.digest).not.toBe(evidence.digest);
  });

  test('a deployment event removed from the store: the count no longer matches', () => {
    const edited = pack(({ record }) => {
      (record as unknown as { events: DeploymentEvent[] }).events = record.events.filter((e) => e.type !== 'onCallOverridden');
    });
    expect(edited.problems).toEqual([
      '2026.4.0@bxci-production.1: 10 events are stored but 11 were written: events were removed or added outside the bot',
    ]);
  });

  test('an exported file edited afterwards fails verification, whichever part was changed', () => {
    const copy = (): any => JSON.parse(JSON.stringify(evidence));
    const comment = copy();
    comment.rcs[0].decisions[0].comment = 'fine';
    expect(verifyEvidence(comment).problems).toEqual(['the pack digest does not match its contents: the file was changed after it was exported']);
    const event = copy();
    event.streams[0].events[3].event.by = luis.id;
    expect(verifyEvidence(event).problems).toContain('2026.4.0: event 4 does not match its digest (it, or one before it, was changed)');
    const rechained = copy();
    rechained.streams[1].events.pop();
    expect(verifyEvidence(rechained).ok).toBe(false);
  });

  test('a stream written before chains existed is unanchored, not broken', () => {
    const { state, events } = releaseHistory();
    const legacy = buildEvidence({ version: VERSION, state, events, deployments: [], directory: crew, timeZone: ZONE, generatedAt: at('2026-04-20T12:00:00Z') });
    expect(legacy.streams[0]!.status).toBe('unanchored');
    expect(verifyEvidence(legacy).ok).toBe(true);
  });

  test('the Markdown export says the same for people, with times in the zone and the digest', () => {
    const markdown = evidenceMarkdown(evidence);
    expect(markdown).toContain('# Evidence pack: release 2026.4.0');
    expect(markdown).toContain('| looks good 👍 thanks! |'); // a comment's lines kept in one table cell
    expect(markdown).toContain('**Integrity:** every event matches the hash chain written with it (24 events in 2 streams).');
    expect(markdown).toContain(`Pack digest (SHA-256 over the canonical JSON export): \`${evidence.digest}\``);
    expect(markdown).toContain(`| rejected | QA | Rafaella Barrocas (${rafaella.id}) | Mon 6 Apr 2026, 11:00 EDT (2026-04-06T15:00:00.000Z) | — | regression in statements |`);
    expect(markdown).toContain('- On-call overridden: Bosko Kocev (id-bosko), by Steven Inouye (id-steven) at Thu 9 Apr 2026, 10:05 EDT (2026-04-09T14:05:00.000Z) — reason: Steven is travelling');
    expect(markdown).toContain('- Live post: "2026.4.0 live in BXCI Production." by Steven Inouye (id-steven)');
    expect(markdown).toContain('- Bugs: [Export times out](https://github.com/lendos/lendos-platform/issues/101)');
    expect(evidenceMarkdown(pack(({ events }) => Object.assign(events[0]!, { by: luis.id })))).toContain('**Integrity: FAILED.**');
  });
});

describe('canonical JSON', () => {
  test('sorts keys at every level, drops undefined members, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"z":1}]},"b":1}');
  });
});

describe('npm run evidence:verify', () => {
  const { mkdtempSync, writeFileSync, rmSync } = require('node:fs') as typeof import('node:fs');
  const { join } = require('node:path') as typeof import('node:path');
  const { tmpdir } = require('node:os') as typeof import('node:os');
  const { verifyEvidenceFile } = require('../../src/dev/verify-evidence') as typeof import('../../src/dev/verify-evidence');
  const dir = mkdtempSync(join(tmpdir(), 'lendos-evidence-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  test('exits 0 for an intact export, 1 for an edited one, 2 for something else', () => {
    const evidence = pack();
    expect(verifyEvidenceFile(file('ok.json', JSON.stringify(evidence)))).toEqual({
      code: 0,
      lines: [`OK: 2026.4.0, 24 events in 2 streams, digest ${evidence.digest}`],
    });
    const edited = JSON.parse(JSON.stringify(evidence));
    edited.deployments[0].live.by.name = 'Someone Else';
    expect(verifyEvidenceFile(file('edited.json', JSON.stringify(edited)))).toEqual({
      code: 1,
      lines: ['CHANGED: 2026.4.0 does not verify:', '  - the pack digest does not match its contents: the file was changed after it was exported'],
    });
    expect(verifyEvidenceFile(file('not.json', '# Evidence pack')).code).toBe(2);
    expect(verifyEvidenceFile(file('other.json', '{"hello":1}')).code).toBe(2);
  });
});

describe('an environment whose lock record was trimmed', () => {
  // 45 lock/unlock events written one command at a time, as the deployment service does: the
  // document keeps the newest 40 and the chain's base moves past the 5 dropped.
  const { appendTrimmed } = require('../../src/domain/trimmed-chain') as typeof import('../../src/domain/trimmed-chain');
  const stream = 'environment:bxci-production/locks';
  type Lock = import('../../src/domain/locks').LockEvent;
  let kept: Lock[] = [];
  let chain: import('../../src/domain/trimmed-chain').TrimmedChain | undefined;
  for (let i = 0; i < 45; i++) {
    const when = new Date(Date.parse('2026-04-09T12:00:00Z') + i * 3_600_000).toISOString();
    const event: Lock =
      i % 2 === 0
        ? { type: 'environmentLocked', at: when, by: jake.id, reason: `dry run ${i}`, until: new Date(Date.parse(when) + 1_800_000).toISOString() }
        : { type: 'environmentUnlocked', at: when, by: steven.id, holder: jake.id, reason: `dry run ${i - 1}` };
    ({ events: kept, chain } = appendTrimmed(stream, chain, kept, [event], (all) => all.length - 40));
  }
  const build = (locks: Lock[]) => {
    const { state, events } = releaseHistory();
    return buildEvidence({
      version: VERSION,
      state,
      events,
      chain: extendChain(undefined, VERSION, events),
      deployments: [deploymentRecord()],
      holds: [{ environment: { key: 'bxci-production', name: 'BXCI Production' }, locks: { events: locks, chain }, freezes: { events: [] } }],
      directory: crew,
      timeZone: ZONE,
      generatedAt: at('2026-04-20T12:00:00Z'),
    });
  };

  test('keeps 40 events, chained on from the base after the 5 dropped, and verifies', () => {
    expect([kept.length, chain!.dropped, chain!.length]).toEqual([40, 5, 45]);
    const evidence = build(kept);
    const locks = evidence.streams.find((s) => s.id === stream)!;
    expect([locks.status, locks.base!.dropped, locks.events[0]!.seq, locks.events[39]!.seq]).toEqual(['intact', 5, 6, 45]);
    expect(verifyEvidence(evidence)).toEqual({ ok: true, problems: [] });
    expect(evidence.holds[0]!.events).toHaveLength(40);
  });

  test('an edited or removed kept event breaks it', () => {
    const edited = build(kept.map((e, i) => (i === 10 ? { ...e, reason: 'nothing to see' } : e)));
    expect(verifyEvidence(edited).problems).toContain(
      `${stream}: the 40 stored events no longer match the chain head written with them: an event was changed outside the bot`,
    );
    const removed = build(kept.slice(1));
    expect(verifyEvidence(removed).problems).toContain(`${stream}: 39 events are stored (after 5 no longer kept) but 45 were written: events were removed or added outside the bot`);
    // And in an export: moving the base to hide the edit changes the pack, whose digest no longer matches.
    const exported = JSON.parse(JSON.stringify(build(kept)));
    exported.streams.find((s: { id: string }) => s.id === stream).events[3].event.reason = 'nothing to see';
    expect(verifyEvidence(exported).problems).toContain(`${stream}: event 9 does not match its digest (it, or one before it, was changed)`);
  });
});
