// The data each card template in `cards/` binds to, one interface per card. Every field a template
// reads is required: adaptivecards-templating leaves `${field}` in the text when a field is missing
// and silently drops an element whose `$when` can't be evaluated, so "absent" is spelled '' or [].

/** Adaptive Card text colours (schema 1.5). */
export type CardColor = 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';

/** The verbs of the RC card's Action.Execute buttons, as they arrive in `activity.value.action.verb`. */
export const RC_CARD_VERBS = ['approve', 'reject', 'revoke', 'promote'] as const;
export type RcCardVerb = (typeof RC_CARD_VERBS)[number];

/** What every RC card button carries in `data`, so a click can be checked against what the clicker saw. */
export interface RcCardRef {
  readonly release: string; // "2026.4.0"
  readonly rc: number; // 3
  /** ReleaseState.revision the card was rendered from. */
  readonly revision: number;
}

/** `action.data` of an RC card click. Reject adds the `reason` typed into the card. */
export interface RcCardActionData extends RcCardRef {
  readonly verb: RcCardVerb;
  readonly reason?: string;
}

export interface ApprovalRow {
  /** Element id of the row: "approval-product". */
  readonly id: string;
  readonly area: string; // "Product"
  /** Who decided, or the area's lead while nothing is decided. */
  readonly lead: string;
  readonly icon: string; // ✅ ❌ ⏳ or — on a superseded RC
  /** "Approved · Tue 14 Apr 2026, 11:02 EDT", "Rejected: flaky login · …", "Awaited". */
  readonly decision: string;
  readonly color: CardColor;
}

export interface QaLine {
  readonly state: 'pending' | 'pass' | 'fail';
  /** "✅ Passed — 212 regression tests green"; a bare link becomes a markdown link. */
  readonly text: string;
  /** "Rafaella Barrocas · Tue 14 Apr 2026, 15:30 EDT", or '' while pending. */
  readonly by: string;
}

/** cards/rc.json: the root post of the thread "Release 2026.4.0-rc.3". */
export interface RcCardData extends RcCardRef {
  readonly title: string; // "Release 2026.4.0-rc.3"
  readonly rcLabel: string; // "rc.3"
  readonly hotfix: boolean;
  /** "Awaiting approvals — 3 of 5", "Blocked — rejected by QA (Rafaella Barrocas)", "Ready to promote", … */
  readonly statusText: string;
  readonly statusColor: CardColor;
  readonly cutLine: string; // "Cut by Jake Edgington · Tue 14 Apr 2026, 10:05 EDT"
  /** "Promoted by Jake Edgington · …" or ''. */
  readonly promotedLine: string;
  readonly features: readonly string[];
  readonly fixes: readonly string[];
  readonly notesUrl: string; // '' when not given
  readonly knownIssues: readonly string[];
  readonly qa: QaLine;
  readonly approvalsTitle: string; // "Approvals — 3 of 5"
  readonly approvals: readonly ApprovalRow[];
  /** Approve, Reject, Revoke: only while the RC is open. */
  readonly canDecide: boolean;
  /** Promote: only when open, not promoted and every area approved. */
  readonly canPromote: boolean;
  /** Link to the release thread, shown when the card is sent elsewhere; '' to hide. */
  readonly threadUrl: string;
  /** A line above the card for the person who clicked, e.g. why their click changed nothing; '' for none. */
  readonly notice: string;
  /** Notification / accessibility text. */
  readonly fallbackText: string;
}

/** cards/promotion.json: the rich form of the runbook's promotion line. */
export interface PromotionCardData {
  /** Exactly `promotionText(...)`. */
  readonly text: string;
  readonly rcVersion: string; // "2026.4.0-rc.3"
  readonly version: string; // "2026.4.0"
  readonly notesUrl: string;
  readonly promotedLine: string; // "Promoted by Jake Edgington · Wed 15 Apr 2026, 09:00 EDT"
}

export interface HelpCommand {
  /** "reject rc.N <reason>": shown as plain text, never as markdown. */
  readonly syntax: string;
  readonly description: string;
  /** "@lendos reject rc.3 login fails on Safari" */
  readonly example: string;
}

export interface HelpSection {
  /** "Lead approver for QA", "Platform team", "QA lead", "IRC", "Everyone". */
  readonly title: string;
  readonly commands: readonly HelpCommand[];
}

/** cards/help.json: what the person can do, one section per role they hold. */
export interface HelpCardData {
  readonly name: string;
  /** Role names for the summary line, e.g. ["Lead approver for QA", "QA lead", "everyone"]. */
  readonly roles: readonly string[];
  readonly sections: readonly HelpSection[];
}

/** cards/refusal.json: "Can't do that", why, and what to type instead. */
export interface RefusalCardData {
  readonly title: string;
  readonly reason: string;
  /** '' when there is nothing better to suggest. */
  readonly hint: string;
}

export interface WaitingItem {
  readonly what: string; // "Product approval"
  readonly who: string; // "Luis Garcia"
}

/** cards/status.json: where a release stands and on whom it waits. */
export interface StatusCardData {
  readonly version: string;
  readonly title: string; // "Release 2026.4.0"
  /** "2026.4.0-rc.3", "2026.4.1-rc.1 (hotfix)" or "none yet". */
  readonly currentRc: string;
  readonly state: string;
  readonly stateColor: CardColor;
  readonly waiting: readonly WaitingItem[];
  readonly threadUrl: string; // '' when unknown
}

export interface HistoryLine {
  readonly time: string;
  readonly who: string;
  /** A plain English sentence: "Luis Garcia approved rc.3 for Product". */
  readonly what: string;
}

/** cards/history.json: the audit trail of a release, oldest first. */
export interface HistoryCardData {
  readonly version: string;
  readonly title: string; // "History of 2026.4.0"
  readonly events: readonly HistoryLine[];
  /** "Showing the last 50 of 73 events." or ''. */
  readonly note: string;
}

/** Card name (the file `cards/<name>.json`) to the data it binds to. */
export interface CardDataMap {
  readonly rc: RcCardData;
  readonly promotion: PromotionCardData;
  readonly help: HelpCardData;
  readonly refusal: RefusalCardData;
  readonly status: StatusCardData;
  readonly history: HistoryCardData;
}

export type CardName = keyof CardDataMap;

export const CARD_NAMES: readonly CardName[] = ['rc', 'promotion', 'help', 'refusal', 'status', 'history'];
