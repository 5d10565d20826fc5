import { RecordedCall } from '../helpers/loopback-connector';
import { visibleLines } from '../helpers/teams-markdown';
import { LEADS } from '../teams/teams-view';

// What a chaos run did (the journal), what Teams received (the loopback connector's calls) and what
// the store holds, turned into the figures the run reports. Pure: the same inputs give the same
// figures, so the classification is tested on its own (test/chaos/figures.test.ts).

const AREAS = LEADS.map(({ person, area }) => ({ person: person.name, area }));

export interface PlannedRelease {
  readonly version: string;
  /** "2026.4.0-rc.1" */
  readonly rc: string;
  /** Where the cut was typed: its acknowledgement goes there. */
  readonly originConversationId: string;
  /** Whether `promote` was sent (only once the store showed all five approvals). */
  promoteSent: boolean;
}

export type Purpose = 'command' | 'query' | 'probe';

/** An activity as Teams sends it (once, or more when redelivered). */
export interface SentActivity {
  readonly id: string;
  readonly kind: 'typed' | 'click';
  readonly purpose: Purpose;
  readonly person: string;
  /** What was typed, or the verb clicked. */
  readonly command: string;
  readonly conversationId: string;
  /** A click that is the second of a double click. */
  readonly secondClick?: boolean;
  /** Either click of a double click: whichever of the two lands second changes nothing. */
  readonly doubleClick?: boolean;
}

/** The HTTP answer to one delivery of an activity. */
export interface DeliveryAnswer {
  readonly activityId: string;
  readonly status: number;
  readonly body: unknown;
}

export interface Kill {
  readonly instance: string;
  /** 'random': at a random moment; 'window': right after Teams took a post of `kind`, before the sender heard back. */
  readonly how: 'random' | 'window';
  readonly kind?: RecordedCall['kind'];
}

export interface Journal {
  readonly releases: PlannedRelease[];
  readonly activities: SentActivity[];
  readonly answers: DeliveryAnswer[];
  readonly kills: Kill[];
  /** Deliveries Teams sent again with the same activity id. */
  redeliveries: number;
  /** Of those, to another instance than the first delivery. */
  redeliveredElsewhere: number;
  doubleClicks: number;
  /** Deliveries that never got an HTTP answer, even after retries (every instance down too long). */
  unanswered: number;
  /** Deliveries retried because the instance died under them. */
  retriedAfterKill: number;
  restarts: number;
  /** Connector failures injected: status → count. */
  readonly faults: Record<string, number>;
  /** Outbox messages still pending in the store when the run ended. */
  pendingAtEnd: number;
}

/** What the store holds about one release at the end. */
export interface StoredRelease {
  readonly version: string;
  /** Areas approved on rc.1. */
  readonly approvedAreas: number;
  /** `approved` events on rc.1 (more than the areas: an approval recorded twice). */
  readonly approvalEvents: number;
}

export interface Counted {
  readonly what: string;
  readonly count: number;
}

export interface Figures {
  readonly approvals: { readonly expected: number; readonly recorded: number; readonly events: number };
  readonly posts: { readonly expected: number; readonly delivered: number; readonly lost: readonly string[]; readonly repeated: readonly Counted[]; readonly unexpected: readonly Counted[] };
  readonly repeatedPosts: number;
  readonly kills: number;
  readonly forkedThreads: readonly Counted[];
  readonly strandedThreads: readonly string[];
  readonly wrongRefusals: readonly Counted[];
  readonly serverErrors: readonly Counted[];
  readonly connectorCalls: number;
  readonly cardUpdates: number;
}

const NOT_A_RELEASE_THREAD = /only works inside a release thread|not a release thread|isn't a release thread/i;

export function tally(journal: Journal, calls: readonly RecordedCall[], stored: readonly StoredRelease[]): Figures {
  const activities = new Map(journal.activities.map((activity) => [activity.id, activity]));
  const expected = new Set<string>();
  for (const release of journal.releases) {
    expected.add(`root ${release.rc}`);
    expected.add(`cut acknowledged ${release.rc}`);
    expected.add(`awaited mentioned ${release.rc}`);
    for (const { person, area } of AREAS) expected.add(`${person} approved ${release.rc} for ${area}`);
    expected.add(`QA recorded on ${release.rc}`);
    if (release.promoteSent) expected.add(`${release.rc} promoted`);
  }
  for (const activity of journal.activities) if (activity.purpose === 'query') expected.add(`answer to ${activity.command} (${activity.id})`);

  // The threads: every root post of an RC, forks included.
  const rootsOf = new Map<string, RecordedCall[]>();
  const threadRc = new Map<string, PlannedRelease>();
  for (const call of calls) {
    if (call.kind !== 'createConversation') continue;
    const release = journal.releases.find((r) => new RegExp(`Release ${escape(r.rc)}(?!\\d)`).test(JSON.stringify(call.activity)));
    if (!release) continue;
    rootsOf.set(release.rc, [...(rootsOf.get(release.rc) ?? []), call]);
    threadRc.set(call.conversationId, release);
  }

  const delivered = new Map<string, number>();
  const unexpected = new Map<string, number>();
  const wrongRefusals = new Map<string, number>();
  const stranded = new Set<string>();
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  for (const call of calls) {
    if (call.kind === 'update') continue;
    const text = shown(call);
    const answered = call.replyToId ? activities.get(call.replyToId) : undefined;
    if (answered) {
      if (NOT_A_RELEASE_THREAD.test(text)) stranded.add(answered.conversationId);
      if (answered.purpose === 'probe') continue; // asked after the run, only to find stranded threads
      if (isRefusal(text)) count(wrongRefusals, `${refusalLine(text)} (to "${answered.command}")`);
      else if (answered.purpose === 'query') count(delivered, `answer to ${answered.command} (${answered.id})`);
      else count(unexpected, `${firstLine(text)} (to "${answered.command}")`);
      continue;
    }
    const identity = identityOf(call, text, journal.releases, threadRc);
    if (identity) count(delivered, identity);
    else if (isRefusal(text)) count(wrongRefusals, refusalLine(text));
    else count(unexpected, firstLine(text));
  }

  // Answers to card clicks come back on the HTTP response, not through the connector.
  const serverErrors = new Map<string, number>();
  for (const answer of journal.answers) {
    const activity = activities.get(answer.activityId);
    if (answer.status >= 500) count(serverErrors, `${answer.status} to ${activity?.kind ?? 'an activity'} "${activity?.command ?? answer.activityId}"`);
    if (!activity || activity.kind !== 'click' || activity.purpose === 'probe') continue;
    const card = (answer.body as { value?: unknown } | undefined)?.value;
    if (!card) continue;
    const lines = visibleLines(card);
    if (lines[0]?.startsWith("🚫 Can't do that")) count(wrongRefusals, `${lines[1] ?? lines[0]} (to a click on ${activity.command})`);
    const notice = noticeOf(card);
    // Of a double click, the click that lands second changes nothing and says so ("Nothing changed: …
    // already promoted", "You already approved …"): the right answer, not a refusal. Usually that is
    // the second click, but a first click whose instance was killed under it is retried after it.
    if (notice && !(activity.doubleClick && /^Nothing changed|already approved/i.test(notice))) count(wrongRefusals, `${notice.split('\n')[0]} (to a click on ${activity.command})`);
  }

  const lost = [...expected].filter((identity) => !delivered.has(identity));
  const repeated = [...delivered].filter(([, n]) => n > 1).map(([what, n]) => ({ what, count: n }));
  return {
    approvals: {
      expected: journal.releases.length * AREAS.length,
      recorded: stored.reduce((sum, release) => sum + release.approvedAreas, 0),
      events: stored.reduce((sum, release) => sum + release.approvalEvents, 0),
    },
    posts: {
      expected: expected.size,
      delivered: [...delivered].filter(([identity]) => expected.has(identity)).length,
      lost,
      repeated,
      unexpected: sorted(unexpected),
    },
    repeatedPosts: repeated.reduce((sum, r) => sum + r.count - 1, 0),
    kills: journal.kills.length,
    forkedThreads: [...rootsOf].filter(([, roots]) => roots.length > 1).map(([rc, roots]) => ({ what: rc, count: roots.length })),
    strandedThreads: [...stranded],
    wrongRefusals: sorted(wrongRefusals),
    serverErrors: sorted(serverErrors),
    connectorCalls: calls.length,
    cardUpdates: calls.filter((call) => call.kind === 'update').length,
  };
}

/** Which expected post this is: the same content posted twice is the same identity. */
function identityOf(call: RecordedCall, text: string, releases: readonly PlannedRelease[], threadRc: ReadonlyMap<string, PlannedRelease>): string | undefined {
  if (call.kind === 'createConversation') {
    const release = threadRc.get(call.conversationId);
    return release && `root ${release.rc}`;
  }
  const origin = releases.find((release) => release.originConversationId === call.conversationId);
  if (origin && text.startsWith(`Cut ${origin.rc}`)) return `cut acknowledged ${origin.rc}`;
  const release = threadRc.get(call.conversationId);
  if (!release) return undefined;
  const rcLabel = release.rc.slice(release.version.length + 1);
  const approved = new RegExp(`^✅ (.+) approved ${escape(rcLabel)} for (\\S+) —`).exec(text);
  if (approved) return `${approved[1]} approved ${release.rc} for ${approved[2]}`;
  if (text.startsWith(`🗳️ ${rcLabel} waits for`)) return `awaited mentioned ${release.rc}`;
  if (text.startsWith(`QA regression PASSED on ${rcLabel}`)) return `QA recorded on ${release.rc}`;
  if (text.includes(`${release.rc} promoted to ${release.version}.`)) return `${release.rc} promoted`;
  return undefined;
}

/** The post as a person reads it: its text, then its cards' lines. */
function shown(call: RecordedCall): string {
  const cards = (call.activity.attachments ?? []).map((attachment) => visibleLines(attachment.content).join('\n'));
  return [call.activity.text ?? '', ...cards].filter(Boolean).join('\n');
}

/** A refusal card, or an apology asking to try again: a correct system gives neither to this workload. */
function isRefusal(text: string): boolean {
  return text.startsWith("🚫 Can't do that") || /something went wrong|try again/i.test(text);
}

function refusalLine(text: string): string {
  const lines = text.split('\n');
  return lines[0]!.startsWith('🚫') ? (lines[1] ?? lines[0]!) : lines[0]!;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 100)}…` : line || '(empty)';
}

function noticeOf(card: unknown): string | undefined {
  let found: string | undefined;
  const walk = (node: unknown) => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const element = node as { id?: string };
    if (element.id === 'notice') found = visibleLines(node).join('\n');
    else Object.values(node).forEach(walk);
  };
  walk(card);
  return found;
}

function sorted(map: ReadonlyMap<string, number>): Counted[] {
  return [...map].map(([what, n]) => ({ what, count: n })).sort((a, b) => b.count - a.count || a.what.localeCompare(b.what));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Each target the issue sets, met or not. */
export function targets(figures: Figures): Array<{ readonly what: string; readonly met: boolean }> {
  const { approvals, posts } = figures;
  return [
    { what: '0 lost approvals', met: approvals.recorded === approvals.expected },
    { what: 'no approval recorded twice', met: approvals.events === approvals.recorded },
    { what: '0 lost posts', met: posts.lost.length === 0 },
    { what: 'at most 1 repeated post per kill', met: figures.repeatedPosts <= figures.kills },
    { what: '0 stranded threads', met: figures.strandedThreads.length === 0 },
    { what: '0 wrong refusals', met: figures.wrongRefusals.length === 0 },
    { what: '0 5xx answers', met: figures.serverErrors.length === 0 },
  ];
}
