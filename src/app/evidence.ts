import { deploymentTitle } from '../domain/deployment';
import { ChainAnchor, canonicalJson, chainDigests, chainGenesis, linkDigest, sha256Hex } from '../domain/event-chain';
import { DeploymentEvent, Directory, ReleaseEvent, ReleaseState, RcSource } from '../domain/types';
import { formatRc } from '../domain/version';
import { liveText } from '../cards/deployment-text';
import { TrimmedChain } from '../domain/trimmed-chain';
import { DeploymentRecord, holdStreamId } from './documents';
import { EnvironmentHolds, HoldEvent, holdEventsDuring, releaseSpan } from './environment-holds';

// The evidence pack of one release: everything an auditor asks for, built from the stored events
// and state alone (pure: no I/O, time comes in). Every event stream — the release's, and each
// deployment's — is listed with its hash chain (each event's digest covers the one before), checked
// against the chain head written with the events, and the pack ends with a digest over all of it,
// so an edit of the store, or of the exported file, is evident. `verifyEvidence` re-checks a pack.

export const EVIDENCE_FORMAT = 'lendos-evidence/1';

export interface EvidencePerson {
  readonly name: string;
  /** Microsoft Entra object id. */
  readonly entraId: string;
}

export interface EvidenceDecision {
  readonly kind: 'approved' | 'rejected' | 'revoked' | 'voided';
  readonly area: { readonly key: string; readonly name: string };
  readonly person: EvidencePerson;
  readonly at: string;
  /** Who the person decided for, when a deputy decided; null until deputies exist. */
  readonly deputyFor: EvidencePerson | null;
  /** The rejection's reason, or a comment given with the decision; null for none. */
  readonly comment: string | null;
  /** For a revocation: what was withdrawn. For a voided decision: the RC that voided it. */
  readonly detail: string | null;
}

export interface EvidenceRc {
  readonly version: string; // "2026.4.0-rc.3"
  readonly number: number;
  readonly hotfix: boolean;
  readonly status: 'open' | 'superseded' | 'promoted';
  readonly cutBy: EvidencePerson;
  readonly cutAt: string;
  readonly source: RcSource | null;
  readonly features: readonly string[];
  readonly fixes: readonly string[];
  readonly knownIssues: readonly string[];
  readonly notesUrl: string | null;
  /** Every QA result posted on the RC, oldest first (the last one counts). */
  readonly qa: ReadonlyArray<{ readonly result: 'pass' | 'fail'; readonly summary: string; readonly by: EvidencePerson; readonly at: string }>;
  readonly decisions: readonly EvidenceDecision[];
  readonly supersededBy: number | null;
}

export interface EvidenceStep {
  readonly at: string;
  readonly by: EvidencePerson;
  /** "Scheduled", "On-call confirmed: Steven Inouye", "Smoke pass (Luis Garcia): loans fine" … */
  readonly what: string;
}

export interface EvidenceDeployment {
  readonly id: string;
  readonly title: string; // "Deploy 2026.4.0 to BXCI Production"
  readonly environment: { readonly key: string; readonly name: string };
  readonly hotfix: boolean;
  readonly outcome: 'scheduled' | 'in progress' | 'live' | 'aborted' | 'cancelled';
  readonly window: { readonly start: string; readonly end: string };
  readonly scheduledBy: EvidencePerson;
  readonly scheduledAt: string;
  readonly engineer: EvidencePerson;
  readonly validators: readonly EvidencePerson[];
  readonly meeting: {
    /** The Teams meeting Graph created (recording on), or the prefilled new-meeting link. */
    readonly link: string | null;
    readonly recording: 'on (meeting created with recording)' | 'reminder to turn recording on was shown' | 'unknown';
  };
  readonly notice: { readonly posted: boolean; readonly activityId: string | null };
  readonly onCall: ReadonlyArray<{
    readonly kind: 'confirmed' | 'overridden' | 'voided by reschedule';
    readonly person: EvidencePerson;
    readonly by: EvidencePerson;
    readonly at: string;
    readonly reason: string | null;
  }>;
  /** Who the on-call source named for the window. */
  readonly proposedOnCall: EvidencePerson | null;
  readonly steps: readonly EvidenceStep[];
  readonly smoke: ReadonlyArray<{ readonly validator: EvidencePerson; readonly result: 'pass' | 'fail'; readonly notes: string; readonly at: string }>;
  readonly live: { readonly at: string; readonly by: EvidencePerson; readonly post: string } | null;
  readonly overrides: ReadonlyArray<{ readonly what: string; readonly by: EvidencePerson; readonly at: string; readonly reason: string }>;
  readonly abort: { readonly at: string; readonly by: EvidencePerson; readonly reason: string; readonly during: string } | null;
  readonly cancellation: { readonly at: string; readonly by: EvidencePerson; readonly reason: string } | null;
  readonly bugs: ReadonlyArray<{ readonly title: string; readonly url: string | null; readonly at: string; readonly by: EvidencePerson }>;
}

export interface EvidenceChainEntry {
  readonly seq: number;
  readonly digest: string;
  readonly event: ReleaseEvent | DeploymentEvent | HoldEvent;
}

/** A lock, unlock, freeze or lift on an environment the release was deployed to, while it mattered to the release. */
export interface EvidenceHold {
  readonly kind: HoldEvent['type'];
  readonly at: string;
  readonly by: EvidencePerson;
  /** "Locked until 2026-04-15T04:00:00.000Z", "Froze 2026-04-14T04:00:00.000Z – 2026-04-15T04:00:00.000Z (hotfixes may pass)" … */
  readonly what: string;
  /** The lock's reason, or the freeze's name. */
  readonly reason: string;
}

export interface EvidenceStream {
  /** The release version, the deployment id, or an environment's locks or freezes (`environment:<key>/locks`). */
  readonly id: string;
  readonly kind: 'release' | 'deployment' | 'environment';
  readonly genesis: string;
  /**
   * Environment streams keep only their newest events: the digest the kept ones start from and how
   * many came before them. Absent: the stream starts at the genesis.
   */
  readonly base?: { readonly digest: string; readonly dropped: number };
  /**
   * Environment streams: the seq of the last event that concerns the release (its base's count when
   * none does). The history digest stops there, so a lock taken long after the release changes the
   * environment's stream but not the release's history digest.
   */
  readonly concernsThrough?: number;
  readonly events: readonly EvidenceChainEntry[];
  /** The head written with the events, if the stream has one (written before chains existed: none). */
  readonly recorded: ChainAnchor | null;
  readonly status: 'intact' | 'broken' | 'unanchored';
}

export interface EvidencePack {
  readonly format: typeof EVIDENCE_FORMAT;
  readonly release: string;
  readonly generatedAt: string;
  readonly timeZone: string;
  readonly rcs: readonly EvidenceRc[];
  readonly promotion: { readonly rc: string; readonly by: EvidencePerson; readonly at: string; readonly notesUrl: string } | null;
  readonly deployments: readonly EvidenceDeployment[];
  /** Locks and freezes of the environments the release was deployed to, from its first RC cut until its last deployment finished. */
  readonly holds: ReadonlyArray<{ readonly environment: { readonly key: string; readonly name: string }; readonly events: readonly EvidenceHold[] }>;
  readonly streams: readonly EvidenceStream[];
  /** Problems found when the pack was built (a stored history that no longer matches its chain head). */
  readonly problems: readonly string[];
  /**
   * SHA-256 over the canonical JSON of every stream's id, length and last digest: the same for two
   * exports of the same history (unlike `digest`, which covers `generatedAt` too).
   */
  readonly historyDigest: string;
  /** SHA-256 over the canonical JSON of everything above. */
  readonly digest: string;
}

export interface EvidenceInput {
  readonly version: string;
  readonly state: ReleaseState;
  /** Every event of the release, oldest first (archived chunks included). */
  readonly events: readonly ReleaseEvent[];
  readonly chain?: ChainAnchor;
  /** The release's deployments, from the environment documents and the deployment log. */
  readonly deployments: readonly DeploymentRecord[];
  /** Every environment's record of locks and freezes (its document's); the pack keeps what concerns the release. */
  readonly holds?: readonly EnvironmentHolds[];
  readonly directory: Directory;
  readonly timeZone: string;
  readonly generatedAt: Date;
}

export function buildEvidence(input: EvidenceInput): EvidencePack {
  const { directory, state } = input;
  const person = (id: string): EvidencePerson => ({ name: directory.nameOf(id), entraId: id });
  const deployments = [...input.deployments].sort((a, b) => a.state.window.start.localeCompare(b.state.window.start) || a.state.id.localeCompare(b.state.id));
  const states = deployments.map((d) => d.state);
  const firstCut = state.rcs[0]?.cutAt ?? input.generatedAt.toISOString();
  const holds = holdEventsDuring(input.holds ?? [], states, releaseSpan(firstCut, states));
  const concerning = new Set<HoldEvent>(holds.flatMap((h) => h.events));
  const recordOf = (key: string) => (input.holds ?? []).find((h) => h.environment.key === key)!;
  const streams: EvidenceStream[] = [
    stream(input.version, 'release', input.events, input.chain),
    ...deployments.map((d) => stream(d.state.id, 'deployment', d.events, d.chain)),
    ...holds.flatMap(({ environment }) => {
      const record = recordOf(environment.key);
      return [
        ...(record.locks.events.length > 0 ? [trimmedStream(holdStreamId(environment.key, 'locks'), record.locks.events, record.locks.chain, concerning)] : []),
        ...(record.freezes.events.length > 0 ? [trimmedStream(holdStreamId(environment.key, 'freezes'), record.freezes.events, record.freezes.chain, concerning)] : []),
      ];
    }),
  ];
  const promotion = state.promotion;
  const body = {
    format: EVIDENCE_FORMAT,
    release: input.version,
    generatedAt: input.generatedAt.toISOString(),
    timeZone: input.timeZone,
    rcs: state.rcs.map((rc) => rcEvidence(input, rc.number, person)),
    promotion: promotion ? { rc: formatRc(input.version, promotion.rc), by: person(promotion.by), at: promotion.at, notesUrl: promotion.notesUrl } : null,
    deployments: deployments.map((d) => deploymentEvidence(d, person)),
    holds: holds.map(({ environment, events }) => ({ environment: { key: environment.key, name: environment.name }, events: events.map((e) => holdEvidence(e, person)) })),
    streams,
    problems: streams.flatMap(streamProblem),
    historyDigest: historyDigestOf(streams),
  } satisfies Omit<EvidencePack, 'digest'>;
  return { ...body, digest: sha256Hex(canonicalJson(body)) };
}

export interface EvidenceCheck {
  readonly ok: boolean;
  readonly problems: readonly string[];
}

/**
 * Re-checks a pack (e.g. a downloaded file): every stream's chain from its events, each against the
 * head recorded in the store, and the pack's digest. Any edit of an event, a digest or a field shows.
 */
export function verifyEvidence(pack: EvidencePack): EvidenceCheck {
  const problems: string[] = [];
  if (pack.format !== EVIDENCE_FORMAT) problems.push(`not a ${EVIDENCE_FORMAT} pack (format ${String(pack.format)})`);
  for (const s of pack.streams ?? []) {
    if (s.genesis !== chainGenesis(s.id)) problems.push(`${s.id}: the chain does not start from this stream's genesis`);
    let previous = s.base?.digest ?? chainGenesis(s.id);
    const dropped = s.base?.dropped ?? 0;
    const broken = s.events.findIndex((entry, i) => {
      const digest = linkDigest(previous, entry.event);
      previous = digest;
      return entry.seq !== dropped + i + 1 || entry.digest !== digest;
    });
    if (broken >= 0) problems.push(`${s.id}: event ${dropped + broken + 1} does not match its digest (it, or one before it, was changed)`);
    problems.push(...streamProblem(s));
  }
  problems.push(...(pack.problems ?? []));
  if (pack.historyDigest !== historyDigestOf(pack.streams ?? [])) problems.push('the history digest does not match the streams');
  const { digest, ...body } = pack;
  if (digest !== sha256Hex(canonicalJson(body))) problems.push('the pack digest does not match its contents: the file was changed after it was exported');
  return { ok: problems.length === 0, problems: [...new Set(problems)] };
}

function historyDigestOf(streams: readonly EvidenceStream[]): string {
  const heads = streams.flatMap((s) => {
    if (s.concernsThrough === undefined) return [{ id: s.id, length: s.events.length, head: s.events[s.events.length - 1]?.digest ?? s.genesis }];
    // An environment's stream counts up to its last event that concerns the release (a digest at a seq never changes).
    const last = s.events.find((entry) => entry.seq === s.concernsThrough);
    return last ? [{ id: s.id, length: last.seq, head: last.digest }] : [];
  });
  return sha256Hex(canonicalJson(heads));
}

function stream(id: string, kind: EvidenceStream['kind'], events: readonly (ReleaseEvent | DeploymentEvent)[], recorded: ChainAnchor | undefined): EvidenceStream {
  const digests = chainDigests(id, events);
  const head = digests[digests.length - 1] ?? chainGenesis(id);
  const status = !recorded ? 'unanchored' : recorded.length === events.length && recorded.head === head ? 'intact' : 'broken';
  return {
    id,
    kind,
    genesis: chainGenesis(id),
    events: events.map((event, i) => ({ seq: i + 1, digest: digests[i]!, event })),
    recorded: recorded ?? null,
    status,
  };
}

/** A stream whose oldest events are no longer stored, checked from the base its anchor recorded. */
function trimmedStream(id: string, events: readonly HoldEvent[], chain: TrimmedChain | undefined, concerning: ReadonlySet<HoldEvent>): EvidenceStream {
  const base = chain ? { digest: chain.base, dropped: chain.dropped } : { digest: chainGenesis(id), dropped: 0 };
  const entries: EvidenceChainEntry[] = [];
  let previous = base.digest;
  for (const [i, event] of events.entries()) {
    previous = linkDigest(previous, event);
    entries.push({ seq: base.dropped + i + 1, digest: previous, event });
  }
  const recorded = chain ? { head: chain.head, length: chain.length } : null;
  const status = !recorded ? 'unanchored' : recorded.length === base.dropped + events.length && recorded.head === previous ? 'intact' : 'broken';
  const last = entries.filter((entry) => concerning.has(entry.event as HoldEvent)).pop();
  return { id, kind: 'environment', genesis: chainGenesis(id), base, concernsThrough: last?.seq ?? base.dropped, events: entries, recorded, status };
}

/** What a stream's comparison with its recorded head says, as a sentence; none when it matches. */
function streamProblem(s: EvidenceStream): string[] {
  if (!s.recorded) return [];
  const head = s.events[s.events.length - 1]?.digest ?? s.base?.digest ?? s.genesis;
  const count = (s.base?.dropped ?? 0) + s.events.length;
  if (s.recorded.length !== count) {
    const dropped = s.base && s.base.dropped > 0 ? ` (after ${s.base.dropped} no longer kept)` : '';
    return [`${s.id}: ${s.events.length} events are stored${dropped} but ${s.recorded.length} were written: events were removed or added outside the bot`];
  }
  if (s.recorded.head !== head) {
    return [`${s.id}: the ${s.events.length} stored events no longer match the chain head written with them: an event was changed outside the bot`];
  }
  return [];
}

function holdEvidence(event: HoldEvent, person: (id: string) => EvidencePerson): EvidenceHold {
  const base = { kind: event.type, at: event.at, by: person(event.by) };
  switch (event.type) {
    case 'environmentLocked':
      return { ...base, what: `Locked until ${event.until}`, reason: event.reason };
    case 'environmentUnlocked':
      return { ...base, what: event.holder === event.by ? 'Unlocked' : `Unlocked (held by ${person(event.holder).name})`, reason: event.reason };
    case 'freezeDeclared':
      return { ...base, what: `Froze ${event.from} – ${event.to} (${event.hotfixes ? 'hotfixes may pass' : 'hotfixes too'})`, reason: event.name };
    case 'freezeLifted':
      return { ...base, what: 'Lifted the freeze', reason: event.name };
  }
}

function rcEvidence(input: EvidenceInput, number: number, person: (id: string) => EvidencePerson): EvidenceRc {
  const rc = input.state.rcs.find((r) => r.number === number)!;
  const areaOf = (key: string) => ({ key, name: input.directory.areas.find((a) => a.key === key)?.name ?? key });
  const decisions: EvidenceDecision[] = [];
  const qa: EvidenceRc['qa'][number][] = [];
  for (const event of input.events) {
    if (event.rc !== number) continue;
    const extra = event as { comment?: unknown; deputyFor?: unknown };
    const comment = typeof extra.comment === 'string' && extra.comment.trim() ? extra.comment : null;
    const deputyFor = typeof extra.deputyFor === 'string' ? person(extra.deputyFor) : null;
    const decided = { person: person(event.by), at: event.at, deputyFor };
    switch (event.type) {
      case 'approved':
        decisions.push({ kind: 'approved', area: areaOf(event.area), ...decided, comment, detail: null });
        break;
      case 'rejected':
        decisions.push({ kind: 'rejected', area: areaOf(event.area), ...decided, comment: event.reason, detail: null });
        break;
      case 'revoked':
        decisions.push({ kind: 'revoked', area: areaOf(event.area), ...decided, comment, detail: `withdrew the ${event.revokedDecision === 'approved' ? 'approval' : 'rejection'}` });
        break;
      case 'rcSuperseded':
        for (const area of event.voidedAreas) {
          decisions.push({ kind: 'voided', area: areaOf(area), ...decided, comment: null, detail: `voided by ${formatRc(input.version, event.supersededBy)}` });
        }
        break;
      case 'qaRecorded':
        qa.push({ result: event.result, summary: event.summary, by: person(event.by), at: event.at });
        break;
      default:
        break;
    }
  }
  return {
    version: formatRc(input.version, number),
    number,
    hotfix: rc.hotfix,
    status: rc.status,
    cutBy: person(rc.cutBy),
    cutAt: rc.cutAt,
    source: rc.contents.source ?? null,
    features: rc.contents.features,
    fixes: rc.contents.fixes,
    knownIssues: rc.contents.knownIssues,
    notesUrl: rc.contents.notesUrl ?? null,
    qa,
    decisions,
    supersededBy: rc.supersededBy ?? null,
  };
}

function deploymentEvidence(record: DeploymentRecord, person: (id: string) => EvidencePerson): EvidenceDeployment {
  const { state } = record;
  const name = (id: string) => person(id).name;
  const steps: EvidenceStep[] = [];
  const onCall: Array<EvidenceDeployment['onCall'][number]> = [];
  const overrides: Array<EvidenceDeployment['overrides'][number]> = [];
  let live: EvidenceDeployment['live'] = null;
  for (const event of record.events) {
    const step = (what: string) => steps.push({ at: event.at, by: person(event.by), what });
    switch (event.type) {
      case 'deploymentScheduled':
        step(`Scheduled for ${event.window.start} – ${event.window.end}; engineer ${name(event.engineer)}; validators ${event.validators.map(name).join(', ')}`);
        break;
      case 'deploymentRescheduled':
        step(`Rescheduled from ${event.from.start} – ${event.from.end} to ${event.window.start} – ${event.window.end}`);
        if (event.voidedOnCall) {
          onCall.push({ kind: 'voided by reschedule', person: person(event.voidedOnCall.person), by: person(event.by), at: event.at, reason: null });
        }
        break;
      case 'deploymentCancelled':
        step(`Cancelled: ${event.reason}`);
        break;
      case 'onCallConfirmed':
        step(`On-call confirmed: ${name(event.person)}`);
        onCall.push({ kind: 'confirmed', person: person(event.person), by: person(event.by), at: event.at, reason: null });
        break;
      case 'onCallOverridden':
        step(`On-call overridden: ${name(event.person)} covers (${event.reason})`);
        onCall.push({ kind: 'overridden', person: person(event.person), by: person(event.by), at: event.at, reason: event.reason });
        overrides.push({ what: `on-call: ${name(event.person)} covers`, by: person(event.by), at: event.at, reason: event.reason });
        break;
      case 'deploymentStarted':
        step('Started the window');
        break;
      case 'deploymentReady':
        step('Ready: validators pulled in');
        break;
      case 'deploymentStable':
        step('Environment stable');
        break;
      case 'smokeRecorded':
        step(`Smoke ${event.result}${event.notes ? `: ${event.notes}` : ''}${event.previous ? ` (was ${event.previous})` : ''}`);
        break;
      case 'deploymentLive':
        step(event.override ? `Live, overriding missing smoke passes (${event.override.reason})` : 'Live');
        live = { at: event.at, by: person(event.by), post: liveText(state.version, state.environment.name) };
        if (event.override) {
          overrides.push({
            what: `live without ${event.override.without.map(name).join(', ')}'s pass`,
            by: person(event.by),
            at: event.at,
            reason: event.override.reason,
          });
        }
        break;
      case 'deploymentAborted':
        step(`Aborted during ${event.during}: ${event.reason}`);
        break;
      case 'meetingRecorded':
        step('Meeting created with recording on');
        break;
      case 'bugRecorded':
        step(`Bug reported: ${event.title}`);
        break;
      case 'bugFiled':
        step(`GitHub issue #${event.issue} filed for bug ${event.bug + 1}: ${event.url}`);
        break;
      case 'freezeOverridden':
        step(`Freeze “${event.freeze}” (${event.from} – ${event.to}) overridden to ${event.during}: ${event.reason}`);
        overrides.push({ what: `freeze “${event.freeze}” (${event.from} – ${event.to}) at ${event.during}`, by: person(event.by), at: event.at, reason: event.reason });
        break;
    }
  }
  const outcome: EvidenceDeployment['outcome'] =
    state.phase === 'live' || state.phase === 'aborted' || state.phase === 'cancelled' ? state.phase : state.phase === 'scheduled' ? 'scheduled' : 'in progress';
  return {
    id: state.id,
    title: deploymentTitle(state),
    environment: { key: state.environment.key, name: state.environment.name },
    hotfix: state.hotfix,
    outcome,
    window: state.window,
    scheduledBy: person(state.scheduledBy),
    scheduledAt: state.phaseAt.scheduled ?? record.events[0]?.at ?? '',
    engineer: person(state.engineer),
    validators: state.validators.map(person),
    meeting: state.meeting
      ? { link: state.meeting.joinUrl, recording: 'on (meeting created with recording)' }
      : record.meetingLink
        ? { link: record.meetingLink, recording: 'reminder to turn recording on was shown' }
        : { link: null, recording: 'unknown' },
    notice: { posted: Boolean(record.posts.notice), activityId: record.posts.notice?.activityId ?? null },
    onCall,
    proposedOnCall: record.proposedOnCall ? person(record.proposedOnCall) : null,
    steps,
    smoke: state.smoke.map((s) => ({ validator: person(s.validator), result: s.result, notes: s.notes, at: s.at })),
    live,
    overrides,
    abort: state.aborted ? { at: state.aborted.at, by: person(state.aborted.by), reason: state.aborted.reason, during: state.aborted.during } : null,
    cancellation: state.cancelled ? { at: state.cancelled.at, by: person(state.cancelled.by), reason: state.cancelled.reason } : null,
    bugs: state.bugs.map((bug) => ({ title: bug.title, url: bug.url ?? null, at: bug.at, by: person(bug.by) })),
  };
}
