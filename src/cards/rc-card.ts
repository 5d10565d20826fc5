import { decidedBy } from '../domain/deputies';
import { AreaDecision, AreaInfo, Directory, QaResult, ReleaseState, RcState } from '../domain/types';
import { formatRc, rcLabel } from '../domain/version';
import { waitingLines } from '../domain/release';
import { ReleaseAction, whoCanAct } from '../domain/release-actions';
import { ApprovalRow, QaLine, RcCardData } from './card-data';
import { formatInstant } from './format-time';
import { CardView, approvedAreas, findRc, isOpen, rcStatusLine } from './release-view';
import { cardRefresh } from './refresh';

// The RC card's view model: everything cards/rc.json shows, computed from the release state alone,
// so the same card can be re-rendered for everyone whenever the state changes.

export interface RcCardView extends CardView {
  /** Link to the release thread; shown only when given (the card is sent outside its thread). */
  readonly threadUrl?: string;
  /** Shown in a banner at the top, e.g. to the clicker of a stale button: "Nothing changed: …". */
  readonly notice?: string;
  /**
   * Whom the card is for: absent for the base card everyone sees (no buttons that act); a person's
   * actions (domain `actionsFor`) for the view a refresh or their click is answered with.
   */
  readonly viewer?: { readonly actions: readonly ReleaseAction[] };
  /** Everyone who might act (configured people): those who can now get their own view (`refresh.userIds`). */
  readonly people?: readonly string[];
  /** When the card is rendered; who can act is asked of the rules as of then. */
  readonly now?: Date;
}

/**
 * The RC card's data for one view (the base card, or `view.viewer`'s). The bot cuts views from
 * rcCardDataForEveryView's expansion instead; this is what each cut view is held equal to
 * (test/cards/rc-views.test.ts), and what the other card tests render.
 */
export function rcCardData(state: ReleaseState, rcNumber: number, view: RcCardView): RcCardData {
  return cardData(state, rcNumber, view, false);
}

/**
 * The RC card's data with every person's parts in it: every button the state allows anyone, "Show
 * my actions" when anyone can get their own view, and the note to a viewer with nothing to do. Its
 * expansion is cut down to each person's view by `rcCardView` (src/cards/rc-views.ts) instead of
 * templating the card again for each (`view.viewer` is ignored).
 */
export function rcCardDataForEveryView(state: ReleaseState, rcNumber: number, view: RcCardView): RcCardData {
  return cardData(state, rcNumber, view, true);
}

function cardData(state: ReleaseState, rcNumber: number, view: RcCardView, everyView: boolean): RcCardData {
  const { directory, timeZone } = view;
  const rc = findRc(state, rcNumber);
  const time = (iso: string) => formatInstant(iso, timeZone);
  const open = isOpen(state, rc);
  const status = rcStatusLine(state, rc, directory);
  const title = `Release ${formatRc(state.version, rc.number)}`;
  const promotion = state.promotion?.rc === rc.number ? state.promotion : undefined;
  const actions = view.viewer?.actions ?? [];
  const refresh = cardRefresh(open ? whoCanAct(state, rc.number, view.people ?? [], directory, view.now ?? new Date(rc.cutAt)) : []);

  return {
    release: state.version,
    rc: rc.number,
    revision: state.revision,
    title,
    rcLabel: rcLabel(rc.number),
    hotfix: rc.hotfix,
    statusText: status.text,
    statusIcon: status.icon,
    statusStyle: status.style,
    cutLine: `Cut by ${directory.nameOf(rc.cutBy)}${fromGitHub(rc)} · ${time(rc.cutAt)}`,
    promotedLine: promotion ? `Promoted by ${directory.nameOf(promotion.by)} · ${time(promotion.at)}` : '',
    features: rc.contents.features,
    fixes: rc.contents.fixes,
    notesUrl: promotion?.notesUrl ?? rc.contents.notesUrl ?? '',
    knownIssues: rc.contents.knownIssues,
    qa: qaLine(rc.qa, directory, time),
    approvalsTitle: `Approvals — ${approvedAreas(rc, directory).length} of ${directory.areas.length}`,
    approvals: directory.areas.map((area) => approvalRow(area, rc, directory, time)),
    ...(everyView ? EVERY_BUTTON : buttonsOf(actions)),
    showMyActions: refresh.enabled && (everyView || view.viewer === undefined || actions.length === 0),
    viewerNote: (everyView || (view.viewer && actions.length === 0)) && open ? `Nothing on ${rcLabel(rc.number)} waits for you now.` : '',
    waiting: open ? waitingLines(state, { directory, now: view.now ?? new Date(rc.cutAt) }).map(capitalise) : [],
    refresh,
    threadUrl: view.threadUrl ?? '',
    notice: view.notice ?? '',
    fallbackText: `${title}${rc.hotfix ? ' (hotfix)' : ''}: ${status.text}`,
  };
}

export type RcButtons = Pick<RcCardData, 'canApprove' | 'canReject' | 'canRevoke' | 'canPromote' | 'canQa'>;

const EVERY_BUTTON: RcButtons = { canApprove: true, canReject: true, canRevoke: true, canPromote: true, canQa: true };

export function buttonsOf(actions: readonly ReleaseAction[]): RcButtons {
  return {
    canApprove: actions.includes('approve'),
    canReject: actions.includes('reject'),
    canRevoke: actions.includes('revoke'),
    canPromote: actions.includes('promote'),
    canQa: actions.includes('qaPass') || actions.includes('qaFail'),
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** " from GitHub (@octocat)" for an RC a webhook cut; the Platform person it is attributed to comes first. */
function fromGitHub(rc: RcState): string {
  const source = rc.contents.source;
  return source ? ` from GitHub (@${source.login})` : '';
}

function approvalRow(area: AreaInfo, rc: RcState, directory: Directory, time: (iso: string) => string): ApprovalRow {
  const decision: AreaDecision | undefined = rc.decisions[area.key];
  const id = `approval-${area.key}`;
  // A new RC voids the old one's decisions: still shown, so the thread's history reads right, but marked.
  const voided = rc.status === 'superseded' ? ' (void)' : '';
  if (!decision) {
    return rc.status === 'superseded'
      ? { id, area: area.name, lead: directory.nameOf(area.leadId), icon: '—', decision: 'Not decided' }
      : { id, area: area.name, lead: directory.nameOf(area.leadId), icon: '⏳', decision: 'Awaited' };
  }
  // A deputy's decision reads "Bosko Kocev for DAML (deputy of Steven Inouye)".
  const lead = decidedBy(directory, decision.by, decision.deputyFor, area.name);
  if (decision.decision === 'approved') {
    return { id, area: area.name, lead, icon: '✅', decision: `Approved · ${time(decision.at)}${voided}` };
  }
  const reason = decision.reason ? `: ${decision.reason}` : '';
  return {
    id,
    area: area.name,
    lead,
    icon: '❌',
    decision: `Rejected${reason} · ${time(decision.at)}${voided}`,
  };
}

function qaLine(qa: QaResult | undefined, directory: Directory, time: (iso: string) => string): QaLine {
  if (!qa) return { state: 'pending', text: "⏳ Pending — waiting for the QA lead's regression results", by: '' };
  const outcome = qa.result === 'pass' ? '✅ Passed' : '❌ Failed';
  const summary = /^https?:\/\/\S+$/.test(qa.summary.trim()) ? `[regression report](${qa.summary.trim()})` : qa.summary;
  return {
    state: qa.result,
    text: summary ? `${outcome} — ${summary}` : outcome,
    by: `${directory.nameOf(qa.by)} · ${time(qa.at)}`,
  };
}
