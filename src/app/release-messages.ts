import { atMention } from '../cards/mention-text';
import { promotionText } from '../cards/promotion-card';
import { commentLine } from '../cards/history-card';
import { formatRc, rcLabel } from '../domain/version';
import { approvalProgress, waitingOn } from '../domain/release';
import { Directory, ReleaseEvent, ReleaseState } from '../domain/types';
import { listOf } from '../domain/rule-helpers';
import { decidedBy } from '../domain/deputies';
import { ChannelTarget, ConversationTarget, ReleaseOutboxMessage } from './documents';

// What the bot posts when a release changes: one plan per accepted command, turned into outbox
// messages that are written together with the state change. A decision's card update comes before
// its thread reply: the update can be repeated unseen, so the reply is the command's last post and
// its acknowledgement can ride on the next command's write (README "Store cost").

export interface MessagePlanInput {
  readonly events: readonly ReleaseEvent[];
  readonly state: ReleaseState;
  /** With the deputies in force when the command ran (domain/deputies.ts `withDeputies`): @mentions name whoever decides. */
  readonly directory: Directory;
  /** Where the command came from; acknowledged there unless it was typed in the RC's own thread. */
  readonly origin?: ConversationTarget;
  readonly originIsRcThread: (rc: number) => boolean;
  readonly engineering?: ChannelTarget;
  readonly nextId: () => string;
  /** Queue the final release on GitHub after a promotion. */
  readonly publishOnPromotion?: boolean;
}

type Mention = { readonly id: string; readonly name: string };

export function planMessages(input: MessagePlanInput): ReleaseOutboxMessage[] {
  const { events, state, directory, nextId } = input;
  const messages: ReleaseOutboxMessage[] = [];
  const refreshed = new Set<number>();
  const refresh = (rc: number) => {
    if (!refreshed.has(rc)) messages.push({ id: nextId(), kind: 'refreshRcCard', rc });
    refreshed.add(rc);
  };
  const say = (rc: number, text: string) => messages.push({ id: nextId(), kind: 'replyInRcThread', rc, text });
  const version = state.version;
  const who = (id: string) => directory.nameOf(id);
  const areaName = (key: string) => directory.areas.find((a) => a.key === key)?.name ?? key;

  for (const event of events) {
    const rc = rcLabel(event.rc);
    switch (event.type) {
      case 'rcSuperseded':
        refresh(event.rc);
        say(
          event.rc,
          `Superseded by ${rcLabel(event.supersededBy)}: this thread is closed and its approvals are void. ` +
            `Continue in "Release ${formatRc(version, event.supersededBy)}".`,
        );
        break;
      case 'rcCut':
        if (!input.engineering) throw new Error('an RC cut needs the #engineering channel');
        messages.push({ id: nextId(), kind: 'postRcThread', rc: event.rc, channel: input.engineering });
        {
          const awaited = awaitedReply(state, event.rc, directory, new Date(event.at), nextId);
          if (awaited) messages.push(awaited);
        }
        break;
      case 'qaRecorded':
        refresh(event.rc);
        say(
          event.rc,
          `QA regression ${event.result === 'pass' ? 'PASSED' : 'FAILED'} on ${rc} (${who(event.by)}): ${event.summary}`,
        );
        break;
      case 'approved': {
        const progress = approvalProgress(state, event.rc, directory);
        const total = directory.areas.length;
        const done = progress.approved.length === total;
        const approvedText =
          `✅ ${decidedBy(directory, event.by, event.deputyFor, areaName(event.area))} approved ${rc}${event.deputyFor ? '' : ` for ${areaName(event.area)}`}${saying(event.comment)} — ${progress.approved.length} of ${total} approved.`;
        // At 5 of 5 the Platform team is who the release waits for: @mentioned, so Teams tells them.
        const platform: Mention[] = done ? (directory.peopleWith?.('platform') ?? []).map((id) => ({ id, name: who(id) })) : [];
        refresh(event.rc);
        if (!done) say(event.rc, approvedText);
        else if (platform.length === 0) say(event.rc, `${approvedText} All areas approved: Platform can promote with \`promote ${rc}\`.`);
        else {
          messages.push({
            id: nextId(),
            kind: 'replyInRcThread',
            rc: event.rc,
            text: `${approvedText} All areas approved: ${listOf(platform.map(at), 'and')}, promote it with \`promote ${rc}\` or the card's Promote button.`,
            mentions: platform,
          });
        }
        break;
      }
      case 'rejected':
        refresh(event.rc);
        say(
          event.rc,
          `❌ ${decidedBy(directory, event.by, event.deputyFor, areaName(event.area))} rejected ${rc}${event.deputyFor ? '' : ` for ${areaName(event.area)}`}: ${event.reason}. ` +
            `Promotion is blocked until ${event.deputyFor ? `${who(event.deputyFor)} or their deputy` : who(event.by)} revokes it (\`revoke ${rc}\`) or a new RC is cut.`,
        );
        break;
      case 'revoked':
        refresh(event.rc);
        say(
          event.rc,
          `↩️ ${decidedBy(directory, event.by, event.deputyFor, areaName(event.area))} revoked ${event.deputyFor ? 'the' : 'their'} ${event.revokedDecision === 'approved' ? 'approval' : 'rejection'} of ${rc}${event.deputyFor ? '' : ` for ${areaName(event.area)}`}${saying(event.comment)}.`,
        );
        break;
      case 'promoted':
        refresh(event.rc);
        say(event.rc, promotionText(version, event.rc, event.notesUrl));
        break;
      case 'leadReminded':
        if (event.step === 'personal') {
          messages.push({ id: nextId(), kind: 'remindPersonally', rc: event.rc, area: event.area, person: event.person, text: personalReminderText(state, event.rc, event.area, directory) });
        }
        break; // thread nudges of one check go out together, below
      case 'leadUnreachable': {
        const platform = directory.peopleWith?.('platform') ?? [];
        const mentions = platform.map((id) => ({ id, name: who(id) }));
        messages.push({
          id: nextId(),
          kind: 'replyInRcThread',
          rc: event.rc,
          text:
            `${mentions.map((m) => atMention(m.name)).join(' ')} I couldn't reach ${who(event.person)} in a personal chat (Teams: ${event.reason}), ` +
            `so they have had only the reminder in this thread that ${rc} waits for their ${areaName(event.area)} decision. ` +
            `Add the app for them (Teams admin center → Manage apps) or ask them directly.`,
          mentions,
        });
        break;
      }
    }
  }
  const threadNudges = events.filter((e): e is Extract<ReleaseEvent, { type: 'leadReminded' }> => e.type === 'leadReminded' && e.step === 'thread');
  if (threadNudges.length > 0) messages.push(threadReminder(threadNudges, directory, nextId));

  const first = events[0];
  if (first && input.origin && !input.originIsRcThread(first.rc)) {
    messages.push({ id: nextId(), kind: 'reply', to: input.origin, text: acknowledgement(events, version, directory) });
  }
  if (events.some((e) => e.type === 'rcCut' || e.type === 'promoted')) {
    messages.push({ id: nextId(), kind: 'indexRelease' });
  }
  // Last: a GitHub outage then holds back nothing else of this release.
  const promoted = events.find((e) => e.type === 'promoted');
  if (promoted && input.publishOnPromotion) messages.push({ id: nextId(), kind: 'publishRelease', rc: promoted.rc });
  return messages;
}


function acknowledgement(events: readonly ReleaseEvent[], version: string, directory: Directory): string {
  const last = events[events.length - 1]!;
  const full = formatRc(version, last.rc);
  switch (last.type) {
    case 'rcCut':
      return `Cut ${full}${last.hotfix ? ' (hotfix)' : ''}: its thread "Release ${full}" is being posted in #engineering.`;
    case 'qaRecorded':
      return `Recorded QA ${last.result} on ${full}; posted in its thread.`;
    case 'approved':
      return `Recorded your approval of ${full} for ${areaOf(directory, last.area)}${asDeputy(directory, last.deputyFor)}; posted in its thread.`;
    case 'rejected':
      return `Recorded your rejection of ${full} for ${areaOf(directory, last.area)}${asDeputy(directory, last.deputyFor)}; posted in its thread.`;
    case 'revoked':
      return `Revoked your ${last.revokedDecision === 'approved' ? 'approval' : 'rejection'} of ${full}; posted in its thread.`;
    case 'promoted':
      return `Promoted ${full} to ${version}; posted in its thread.`;
    case 'rcSuperseded':
      return `${full} superseded.`;
    case 'leadReminded':
    case 'leadUnreachable':
      return `Reminded the leads of ${full}.`;
    case 'rcThreadPosted':
      return `Posted the thread of ${full}.`;
  }
}

/**
 * Right after the cut: one reply in the new thread @mentioning whoever the RC waits for — the
 * decider of each area (its lead, or a deputy standing in) and the QA lead for the regression
 * result — so Teams notifies them. Each person is mentioned once.
 */
function awaitedReply(
  state: ReleaseState,
  rc: number,
  directory: Directory,
  now: Date,
  nextId: () => string,
): ReleaseOutboxMessage | undefined {
  const label = rcLabel(rc);
  const awaited = waitingOn(state, { directory, now }).filter((item) => 'rc' in item && item.rc === rc);
  const deciders = awaited.flatMap((item) => (item.kind === 'approval' ? [item] : []));
  const mentions: Mention[] = [];
  const mention = (id: string): string => {
    const name = directory.nameOf(id);
    if (mentions.some((m) => m.id === id)) return name;
    mentions.push({ id, name });
    return at({ id, name });
  };
  const who = deciders.map(({ area, decider, deputyFor }) =>
    deputyFor ? `${mention(decider)} (${area.name}, deputy of ${directory.nameOf(deputyFor)})` : `${mention(decider)} (${area.name})`,
  );
  const parts: string[] = [];
  if (who.length > 0) {
    parts.push(`🗳️ ${label} waits for your decision, ${listOf(who, 'and')}: reply \`approve ${label}\` or \`reject ${label} <reason>\`, or use the card's buttons.`);
  }
  const qa = awaited.flatMap((item) => (item.kind === 'qa' ? item.who : []));
  if (qa.length > 0) {
    parts.push(`QA regression result from ${listOf(qa.map(mention), 'or')}: \`qa pass ${label} <link or summary>\` or \`qa fail ${label} <what failed>\`.`);
  }
  if (parts.length === 0) return undefined;
  return { id: nextId(), kind: 'replyInRcThread', rc, text: parts.join(' '), mentions };
}

/** ` (“looks good 👍 / thanks!”)`: a comment written with a decision, on one line; nothing without one. */
function saying(comment: string | undefined): string {
  const line = commentLine(comment);
  return line ? ` (“${line}”)` : '';
}

function at(person: Mention): string {
  return atMention(person.name);
}

/** One reply in the RC thread @mentioning every lead nudged in this check. */
function threadReminder(
  nudges: ReadonlyArray<Extract<ReleaseEvent, { type: 'leadReminded' }>>,
  directory: Directory,
  nextId: () => string,
): ReleaseOutboxMessage {
  const rc = nudges[0]!.rc;
  const mentions = nudges.map((n) => ({ id: n.person, name: directory.nameOf(n.person) }));
  const label = rcLabel(rc);
  const who = nudges.map((n) => `${atMention(directory.nameOf(n.person))} (${areaOf(directory, n.area)})`);
  const text =
    `⏰ ${listOf(who, 'and')}: ${label} still waits for your decision. ` +
    `Reply here with \`approve ${label}\` or \`reject ${label} <reason>\`, or use the buttons on the card above.`;
  return { id: nextId(), kind: 'replyInRcThread', rc, text, mentions };
}

function personalReminderText(state: ReleaseState, rc: number, area: string, directory: Directory): string {
  const full = formatRc(state.version, rc);
  return (
    `⏰ ${full} still waits for your ${areaOf(directory, area)} decision. ` +
    `Approve or reject it in its thread "Release ${full}" in #engineering, or here: \`approve ${full}\` or \`reject ${full} <reason>\`.`
  );
}

function asDeputy(directory: Directory, deputyFor: string | undefined): string {
  return deputyFor ? ` as ${directory.nameOf(deputyFor)}'s deputy` : '';
}

function areaOf(directory: Directory, key: string): string {
  return directory.areas.find((a) => a.key === key)?.name ?? key;
}
