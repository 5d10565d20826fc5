import { GENERAL, Harness, Person, cardText, people } from '../helpers/bot-harness';
import { RecordedCall } from '../helpers/loopback-connector';
import { ADAPTIVE_CARD, LEADS, RcThread, actionVerbs, findById, refusalsIn, sentCards } from '../teams/teams-view';

// What people in Teams see of a deployment (runbook 3.1–5), read from the loopback connector's
// recorded calls: the tracker and on-call cards in the #engineering release thread, the company
// notice as a root post in #general, the thread's text posts, and the bot's answers to whoever typed.

export { ADAPTIVE_CARD, findById, refusalsIn, sentCards };

/** #production-support, where people report post-deployment bugs (runbook 5). */
export const PRODUCTION_SUPPORT = '19:productionsupport0001@thread.tacv2';

export const IRC = people.steven;
export const ENGINEER = people.jake;
export const VALIDATORS = [people.luis, people.bosko] as const;

/** Cuts `<release>-rc.1` (optionally as a hotfix), has the five leads approve it, and Jake promotes it. */
export async function promoteRelease(h: Harness, release: string, options: { hotfix?: boolean } = {}): Promise<RcThread> {
  const rcVersion = `${release}-rc.1`;
  const cut = await h.say(people.jake, `rc ${rcVersion}${options.hotfix ? ' hotfix' : ''}\nnotes: https://wiki.lendos.example/releases/${release}`);
  expect(refusalsIn(cut.calls)).toEqual([]);
  const root = h.thread(rcVersion);
  const thread = { conversationId: root.conversationId, activityId: root.activityId };
  for (const { person } of LEADS) {
    const approve = await h.say(person, 'approve rc.1', { conversationId: thread.conversationId });
    expect(refusalsIn(approve.calls)).toEqual([]);
  }
  const promote = await h.say(people.jake, 'promote rc.1', { conversationId: thread.conversationId });
  expect(refusalsIn(promote.calls)).toEqual([]);
  expect(h.textsIn(thread.conversationId)).toContain(
    `${rcVersion} promoted to ${release}. [Release notes](https://wiki.lendos.example/releases/${release})`,
  );
  return thread;
}

/** `schedule deploy <release> to "<environment>" at <at> for <minutes>m engineer jake validators luis, bosko`. */
export function scheduleText(release: string, environment: string, at: string, options: { minutes?: number; engineer?: Person; validators?: readonly Person[] } = {}): string {
  const engineer = options.engineer ?? ENGINEER;
  const validators = options.validators ?? VALIDATORS;
  return (
    `schedule deploy ${release} to "${environment}" at ${at} for ${options.minutes ?? 90}m ` +
    `engineer ${engineer.key} validators ${validators.map((v) => v.key).join(', ')}`
  );
}

/** Texts the bot posted into a conversation within these calls. */
export function textsIn(calls: readonly RecordedCall[], conversationId: string): string[] {
  return calls
    .filter((call) => (call.kind === 'send' || call.kind === 'reply') && call.conversationId === conversationId && call.activity.text)
    .map((call) => call.activity.text!);
}

function cardOf(call: RecordedCall): any {
  return call.activity.attachments?.find((a) => a.contentType === ADAPTIVE_CARD)?.content;
}

function titleOf(card: any): string {
  const title = findById(card, 'title');
  return title ? cardText(title) : '';
}

/** The post (a message the bot sent, or a root post it created) whose card has this title; undefined if none. */
export function postWithTitle(h: Harness, title: string, kinds: readonly RecordedCall['kind'][] = ['send', 'reply']): RecordedCall | undefined {
  return h.connector.calls.find((call) => kinds.includes(call.kind) && cardOf(call) && titleOf(cardOf(call)) === title);
}

function mustFind(h: Harness, title: string, kinds: readonly RecordedCall['kind'][]): RecordedCall {
  const post = postWithTitle(h, title, kinds);
  if (!post) throw new Error(`no card "${title}" was posted; cards: ${h.connector.calls.map((c) => (cardOf(c) ? titleOf(cardOf(c)) : c.activity.text)).join(' | ')}`);
  return post;
}

/** The tracker card's post in the release thread: "Deploy 2026.4.0 to BXCI Production". */
export function trackerPost(h: Harness, release: string, environment: string): RecordedCall {
  return mustFind(h, `Deploy ${release} to ${environment}`, ['send', 'reply']);
}

/** The on-call card's post in the release thread. */
export function onCallPost(h: Harness, release: string, environment: string): RecordedCall {
  return mustFind(h, `On-call coverage · Deploy ${release} to ${environment}`, ['send', 'reply']);
}

/** The company notice: a root post (new thread) in #general. */
export function noticePost(h: Harness, release: string, environment: string): RecordedCall {
  const post = mustFind(h, `Deployment: ${release} to ${environment}`, ['createConversation']);
  expect(post.conversationId.startsWith(`${GENERAL};messageid=`)).toBe(true);
  return post;
}

/** A post's card as people see it now: the last update of it, else as posted. */
export function latestCardOf(h: Harness, post: RecordedCall): any {
  const updates = h.connector.calls.filter((call) => call.kind === 'update' && call.activityId === post.activityId && call.conversationId === post.conversationId);
  return cardOf(updates.length ? updates[updates.length - 1]! : post);
}

/** Updates of this post within these calls. */
export function updatesOf(calls: readonly RecordedCall[], post: RecordedCall): RecordedCall[] {
  return calls.filter((call) => call.kind === 'update' && call.activityId === post.activityId && call.conversationId === post.conversationId);
}

/** The tracker as people see it now. */
export function tracker(h: Harness, release: string, environment: string): any {
  return latestCardOf(h, trackerPost(h, release, environment));
}

export function onCallCard(h: Harness, release: string, environment: string): any {
  return latestCardOf(h, onCallPost(h, release, environment));
}

export function notice(h: Harness, release: string, environment: string): any {
  return latestCardOf(h, noticePost(h, release, environment));
}

/** The tracker's phase rows as read: "✅ Scheduled by Steven Inouye, …", "⏳ Started Window opens …". */
export function phaseRows(card: any): string[] {
  const container = findById(card, 'phases');
  const rows: any[] = (container?.items ?? []).filter((item: any) => item.type === 'ColumnSet');
  return rows.map((row) => row.columns.map((column: any) => column.items.map((item: any) => item.text).join(' ')).join(' ').replace(/\*\*/g, ''));
}

/** The Action.OpenUrl links of a card, by title: { 'Create the meeting': 'https://…' }. */
export function links(card: any): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === 'Action.OpenUrl') found[node.title] = node.url;
    Object.values(node).forEach(walk);
  };
  walk(card);
  return found;
}

/** Button titles people see on a card, including those that open a ShowCard. */
/** One person's own view of a deployment's tracker, as Teams' refresh invoke gets it. */
export async function trackerFor(h: Harness, person: Person, release: string, environment: string): Promise<any> {
  const { status, body } = await h.refresh(person, trackerPost(h, release, environment), tracker(h, release, environment));
  expect(status).toBe(200);
  return body.value;
}

/** One person's own view of a deployment's on-call card (an IRC's has Confirm and Override). */
export async function onCallFor(h: Harness, person: Person, release: string, environment: string): Promise<any> {
  const card = onCallCard(h, release, environment);
  if (!card.refresh) return card; // coverage no longer awaited: the card is the same for everyone
  const { status, body } = await h.refresh(person, onCallPost(h, release, environment), card);
  expect(status).toBe(200);
  return body.value;
}

/** The verbs on each person's own view of the tracker, for those who have any (a finished tracker refreshes for nobody). */
export async function trackerViews(h: Harness, release: string, environment: string): Promise<Record<string, string[]>> {
  const card = tracker(h, release, environment);
  if (!card.refresh) return {};
  const views: Record<string, string[]> = {};
  for (const person of [people.luis, people.rafaella, people.steven, people.bosko, people.jake, people.mallory]) {
    const verbs = actionVerbs(await trackerFor(h, person, release, environment));
    if (verbs.length > 0) views[person.name] = verbs;
  }
  return views;
}

export function buttonTitles(card: any): string[] {
  return (card?.actions ?? []).map((action: any) => action.title);
}

/** The one refusal card answered to the person, and proof nothing else was posted or updated. */
export function onlyRefusal(calls: readonly RecordedCall[], conversationId: string): string {
  expect(calls.map((call) => `${call.kind} ${call.conversationId}`)).toEqual([`reply ${conversationId}`]);
  const refusals = refusalsIn(calls, conversationId);
  expect(refusals).toHaveLength(1);
  return refusals[0]!.replace(/\s+/g, ' ');
}
