import { Harness, Person, cardText, cardVerbs, people } from '../helpers/bot-harness';
import { RecordedCall } from '../helpers/loopback-connector';
import { validateAdaptiveCard } from '../helpers/validate-card';
import { visibleLines } from '../helpers/teams-markdown';

// What people in Teams see of the release thread, read from the loopback connector's recorded calls:
// thread posts, the RC card (root post, after its updates), and the bot's answers to whoever typed.

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** A fixed clock, so card times read the same on every run: Tue 14 Apr 2026, 10:05 EDT. */
export const NOW = new Date('2026-04-14T14:05:00Z');
export const NOW_ON_CARDS = 'Tue 14 Apr 2026, 10:05 EDT';

export const LEADS: readonly { person: Person; area: string }[] = [
  { person: people.luis, area: 'Product' },
  { person: people.rafaella, area: 'QA' },
  { person: people.steven, area: 'DAML' },
  { person: people.bosko, area: 'Stream' },
  { person: people.jake, area: 'Platform' },
];

export function notesUrlOf(release: string): string {
  return `https://wiki.lendos.example/releases/${release}`;
}

/** Jake's RC cut as typed in #engineering, with everything runbook 1.1 asks for. */
export function rcCutText(rcVersion: string): string {
  const release = rcVersion.replace(/-rc\.\d+$/, '');
  return [
    `rc ${rcVersion}`,
    'features: Loan export to CSV; Faster portfolio search',
    'fixes: Login loop on Safari',
    `notes: ${notesUrlOf(release)}`,
    'known issues: PDF statements slow above 500 loans',
  ].join('\n');
}

/**
 * The reply the bot posts in a new RC thread right after its root, @mentioning whom the RC waits
 * for (the example config's five leads, no deputies; the QA lead is Rafaella, already mentioned).
 */
export function awaitedText(rc: string): string {
  return (
    `🗳️ ${rc} waits for your decision, <at>Luis Garcia</at> (Product), <at>Rafaella Barrocas</at> (QA), <at>Steven Inouye</at> (DAML), ` +
    `<at>Bosko Kocev</at> (Stream) and <at>Jake Edgington</at> (Platform): reply \`approve ${rc}\` or \`reject ${rc} <reason>\`, or use the card's buttons. ` +
    `QA regression result from Rafaella Barrocas: \`qa pass ${rc} <link or summary>\` or \`qa fail ${rc} <what failed>\`.`
  );
}

export interface RcThread {
  /** Conversation id of the thread ("19:…;messageid=…"): where people type `approve rc.3`. */
  readonly conversationId: string;
  /** Activity id of the root post, which carries the RC card. */
  readonly activityId: string;
}

/** Jake cuts the RC in a new root post in #engineering; resolves with the thread the bot started. */
export async function cutRc(h: Harness, rcVersion: string): Promise<RcThread> {
  const { status } = await h.say(people.jake, rcCutText(rcVersion));
  expect(status).toBe(200);
  const root = h.thread(rcVersion);
  return { conversationId: root.conversationId, activityId: root.activityId };
}

/** Each of these leads types `approve rc.N` in the thread, in turn; none may be refused. */
export async function approveInThread(h: Harness, thread: RcThread, rc: string, leads: readonly Person[]): Promise<void> {
  for (const lead of leads) {
    const { calls } = await h.say(lead, `approve ${rc}`, { conversationId: thread.conversationId });
    expect(refusalsIn(calls)).toEqual([]);
  }
}

/** Texts the bot posted into a conversation within these calls (thread replies, acknowledgements). */
export function postedTexts(calls: readonly RecordedCall[], conversationId: string): string[] {
  return calls
    .filter((call) => (call.kind === 'send' || call.kind === 'reply') && call.conversationId === conversationId && call.activity.text)
    .map((call) => call.activity.text!);
}

/** Adaptive Cards the bot sent as messages (not root-post updates) within these calls. */
export function sentCards(calls: readonly RecordedCall[], conversationId?: string): any[] {
  return calls
    .filter((call) => call.kind === 'send' || call.kind === 'reply')
    .filter((call) => conversationId === undefined || call.conversationId === conversationId)
    .flatMap((call) => call.activity.attachments ?? [])
    .filter((attachment) => attachment.contentType === ADAPTIVE_CARD)
    .map((attachment) => attachment.content);
}

/** The readable text of every "Can't do that" card the bot answered with. */
export function refusalsIn(calls: readonly RecordedCall[], conversationId?: string): string[] {
  return sentCards(calls, conversationId)
    .map((card) => visibleLines(card).join('\n'))
    .filter((text) => text.startsWith("🚫 Can't do that"));
}

/**
 * The one refusal the bot answered with, and proof that it did nothing else: no thread post, no card
 * update, no new thread — only its answer to the person, in the conversation they typed in.
 */
export function onlyRefusal(calls: readonly RecordedCall[], conversationId: string): string {
  expect(calls.map((call) => `${call.kind} ${call.conversationId}`)).toEqual([`reply ${conversationId}`]);
  const refusals = refusalsIn(calls, conversationId);
  expect(refusals).toHaveLength(1);
  return refusals[0]!;
}

/** Card updates of the root post within these calls. */
export function cardUpdates(calls: readonly RecordedCall[], thread: RcThread): RecordedCall[] {
  return calls.filter((call) => call.kind === 'update' && call.activityId === thread.activityId);
}

/** Approval rows as a person reads them: "⏳ Product · Luis Garcia: Awaited". */
export function approvalRows(card: any): string[] {
  const container = findById(card, 'approvals');
  const rows: any[] = (container?.items ?? []).filter((item: any) => item.type === 'ColumnSet');
  return rows.map((row) => {
    const [icon, detail] = row.columns.map((column: any) => column.items.map((item: any) => item.text));
    const [who, decision] = detail;
    return `${icon[0]} ${String(who).replace(/\*\*/g, '')}: ${decision}`;
  });
}

export function textOf(card: any, id: string): string {
  const node = findById(card, id);
  if (!node) throw new Error(`the card has no element "${id}"`);
  return cardText(node);
}

export function findById(card: any, id: string): any {
  let found: any;
  const walk = (node: any) => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.id === id) found = node;
    else Object.values(node).forEach(walk);
  };
  walk(card);
  return found;
}

/** Buttons a person sees at the bottom of the card: "Approve", "Reject", "Revoke", "Promote". */
export function buttons(card: any): string[] {
  return (card?.actions ?? []).map((action: any) => action.title);
}

/** The `data` a button of this card carries, as Teams sends it back on click. */
export function buttonData(card: any, verb: string): Record<string, unknown> {
  let data: Record<string, unknown> | undefined;
  const walk = (node: any) => {
    if (data || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === 'Action.Execute' && node.verb === verb) data = node.data;
    else Object.values(node).forEach(walk);
  };
  walk(card);
  if (!data) throw new Error(`the card has no "${verb}" button; it has ${cardVerbs(card).join(', ') || 'none'}`);
  return data;
}

/**
 * The `data` the `verb` button carries on a person's own view of this (base) card: the card's
 * refresh data with that verb, since a refresh answers everyone from the same release state. For
 * tests about something other than views (instances, crashes); test/teams/views.test.ts gets each
 * person's view over HTTP.
 */
export function ownButtonData(card: any, verb: string): Record<string, unknown> {
  const data = card?.refresh?.action?.data;
  if (!data) throw new Error(`the card has no refresh, so nobody has a "${verb}" button on it`);
  const { verb: _refresh, ...ref } = data;
  return { verb, ...ref };
}

/** The verbs of the buttons a person sees (those inside forms included), not counting "Show my actions". */
export function actionVerbs(card: any): string[] {
  const { refresh: _refresh, ...shown } = card ?? {};
  return cardVerbs(shown).filter((verb) => !['refreshRc', 'refreshTracker', 'refreshOnCall'].includes(verb));
}

export function expectValidCard(card: any): void {
  expect(validateAdaptiveCard(card)).toEqual([]);
}
