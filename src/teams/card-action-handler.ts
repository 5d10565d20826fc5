import { TurnContext } from 'botbuilder';
import { RC_CARD_VERBS, RcCardVerb } from '../cards/card-data';
import { AdaptiveCardJson } from '../cards/render';
import { rcLabel } from '../domain/version';
import { ReleaseCommand, ReleaseState } from '../domain/types';
import { CARD_TEXT_MAX, RcCardAction, rcCardActionSchema } from '../cards/card-actions';
import { readInbound } from './inbound';
import type { RouteDependencies } from './route-dependencies';
import { elsewhereNotice } from './orphan-threads';

const joinNotices = (...notices: Array<string | undefined>) => notices.filter(Boolean).join(' ') || undefined;

/**
 * An RC card button click (Action.Execute). Answered with the fresh card at once; the thread post
 * and the card update for everyone go through the outbox after the answer. A card that no longer
 * matches the release (superseded RC, promoted release) never acts: the domain refuses any decision
 * on an RC that is not the open one, and a refusal is always decided on the stored document (the
 * repository re-reads before refusing), so the click goes straight to the command — no read when
 * it is accepted on a warm release — and the staleness banner is chosen from the state it refused on.
 */
export function createCardActionHandler(deps: RouteDependencies) {
  const refusal = (reason: string, hint = '') => deps.render('refusal', { title: "Can't do that", reason, hint });

  return async (context: TurnContext, rawData: unknown): Promise<AdaptiveCardJson> => {
    const verb = String(context.activity.value?.action?.verb ?? '');
    if (!isRcVerb(verb)) return refusal(`This button ("${verb}") isn't one I know, so nothing happened.`, 'Type `help` to see what I can do.');
    const data = rcCardActionSchema.safeParse(rawData);
    if (!data.success) {
      const tooLong = data.error.issues.find((issue) => issue.code === 'too_big')?.path[0];
      if (tooLong === 'reason' || tooLong === 'notesUrl' || tooLong === 'qaPassSummary' || tooLong === 'qaFailSummary') {
        const what = tooLong === 'reason' ? 'reason' : tooLong === 'notesUrl' ? 'release notes link' : 'QA summary';
        return refusal(`That ${what} is longer than ${CARD_TEXT_MAX.toLocaleString('en-US')} characters, so nothing was recorded.`, `Shorten the ${what} and click again.`);
      }
      return refusal('This card is missing which release it is about, so nothing happened.', 'Type `status <version>` to get a fresh card.');
    }
    const read = readInbound(context.activity, deps.directory);
    if (!read.ok || !read.inbound.actor) {
      return refusal("Teams didn't tell me who clicked, so I can't record a decision.", 'Type the command in the RC thread instead, e.g. `approve rc.3`.');
    }
    const { release, rc } = data.data;
    const result = await deps.service.execute({
      version: release,
      command: toCommand(verb, data.data),
      actor: read.inbound.actor,
      activityId: read.inbound.activityId,
      origin: read.inbound.origin,
      engineering: deps.channels.get('engineering'),
      now: deps.now(),
    });
    const state = result.state;
    if (!state || !state.rcs.some((r) => r.number === rc)) {
      return refusal(`I have no record of ${release}-${rcLabel(rc)}, so nothing happened.`, `Type \`status ${release}\` to see where it stands.`);
    }
    // A click on an orphan copy of the root (src/teams/orphan-threads.ts) counts; its answer says where the live thread is.
    const elsewhere = elsewhereNotice(read.inbound.origin.conversationId, await deps.service.threadOf(release, rc), release, rc);
    // The answer is the clicker's own view (Teams shows it to them alone); everyone else's card is updated through the outbox.
    const viewer = read.inbound.actor.id;
    if (result.kind === 'refused') return deps.renderRcCard(state, rc, { notice: joinNotices(staleReason(state, rc, verb) ?? noticeOf(result.refusal), elsewhere), viewer });
    return deps.renderRcCard(state, rc, { notice: elsewhere, viewer });
  };
}

function isRcVerb(verb: string): verb is RcCardVerb {
  return (RC_CARD_VERBS as readonly string[]).includes(verb);
}

function toCommand(verb: RcCardVerb, data: RcCardAction): ReleaseCommand {
  const { rc } = data;
  switch (verb) {
    case 'approve':
      return { type: 'approve', rc };
    case 'reject':
      return { type: 'reject', rc, reason: data.reason?.trim() ?? '' };
    case 'revoke':
      return { type: 'revoke', rc };
    case 'promote':
      return { type: 'promote', rc, ...(data.notesUrl?.trim() ? { notesUrl: data.notesUrl.trim() } : {}) };
    case 'qaPass':
      return { type: 'recordQa', rc, result: 'pass', summary: data.qaPassSummary?.trim() ?? '' };
    case 'qaFail':
      return { type: 'recordQa', rc, result: 'fail', summary: data.qaFailSummary?.trim() ?? '' };
  }
}

const VERB_WORDS: Readonly<Record<RcCardVerb, string>> = {
  approve: 'approve',
  reject: 'reject',
  revoke: 'revoke',
  promote: 'promote',
  qaPass: 'record QA for',
  qaFail: 'record QA for',
};

/** Why a click on this card must not act, or undefined when the card still speaks for the release. */
function staleReason(state: ReleaseState, rc: number, verb: RcCardVerb): string | undefined {
  const clicked = state.rcs.find((r) => r.number === rc)!;
  if (clicked.status === 'superseded') {
    const next = rcLabel(clicked.supersededBy ?? rc + 1);
    return `Nothing changed: this card is for ${rcLabel(rc)}, which was superseded by ${next}. Its approvals are void; ${VERB_WORDS[verb]} ${next} in its own thread.`;
  }
  if (state.promotion) {
    return `Nothing changed: ${state.version} was already promoted from ${rcLabel(state.promotion.rc)}.`;
  }
  return undefined;
}

/** A refusal as the banner on a card: why, then (as its own paragraph) what to do instead. */
export function noticeOf(refusal: { readonly reason: string; readonly hint?: string }): string {
  return refusal.hint ? `${refusal.reason}\n\nInstead: ${refusal.hint}` : refusal.reason;
}
