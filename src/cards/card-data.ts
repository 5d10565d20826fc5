// The data each card template in `cards/` binds to, one interface per card. Every field a template
// reads is required: adaptivecards-templating leaves `${field}` in the text when a field is missing
// and silently drops an element whose `$when` can't be evaluated, so "absent" is spelled '' or [].

/**
 * Container styles a card may put behind text to mark a state. Text itself stays in the default
 * colour: Teams' Good, Warning, Accent and Attention text colours measure 1.5:1 to 3.2:1 on its
 * backgrounds, below WCAG AA (4.5:1), so state is carried by words, an icon and the container.
 */
export type CardStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning';

/** The verbs of the RC card's Action.Execute buttons, as they arrive in `activity.value.action.verb`. */
export const RC_CARD_VERBS = ['approve', 'reject', 'revoke', 'promote', 'qaPass', 'qaFail'] as const;
export type RcCardVerb = (typeof RC_CARD_VERBS)[number];

/**
 * The verb of the RC card's `refresh` action (and of its "Show my actions" button): Teams sends it
 * for each person in `refresh.userIds` when the card comes into view, and the bot answers with
 * that person's view of the card. Changes nothing.
 */
export const RC_REFRESH_VERB = 'refreshRc';
/** The same for the deployment tracker and the on-call card. */
export const TRACKER_REFRESH_VERB = 'refreshTracker';
export const ON_CALL_REFRESH_VERB = 'refreshOnCall';

/** A card's `refresh` (Universal Actions): who gets their own view, and what the refresh invoke carries. */
export interface CardRefresh {
  /** Teams user ids (`8:orgid:<Entra object id>`) of the people who may act on the card now; at most 60. */
  readonly userIds: readonly string[];
  /** Whether the card carries `refresh` at all: not when nobody can act on it. */
  readonly enabled: boolean;
}

/** What every RC card button carries in `data`, so a click can be checked against what the clicker saw. */
export interface RcCardRef {
  readonly release: string; // "2026.4.0"
  readonly rc: number; // 3
  /** ReleaseState.revision the card was rendered from. */
  readonly revision: number;
}

// What the RC card's buttons send back is src/cards/card-actions.ts (`RcCardAction`, the schema's type).

export interface ApprovalRow {
  /** Element id of the row: "approval-product". */
  readonly id: string;
  readonly area: string; // "Product"
  /** Who decided, or the area's lead while nothing is decided. */
  readonly lead: string;
  readonly icon: string; // ✅ ❌ ⏳ or — on a superseded RC
  /** "Approved · Tue 14 Apr 2026, 11:02 EDT", "Rejected: flaky login · …", "Awaited". */
  readonly decision: string;
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
  readonly statusIcon: string; // ⏳ ⛔ ✅ 🚀 ⏸
  readonly statusStyle: CardStyle;
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
  /**
   * The buttons of whoever the card is rendered for (domain/release-actions.ts `actionsFor`): none on
   * the base card everyone sees; a person's own on the view a refresh or a click answers them with.
   */
  readonly canApprove: boolean;
  readonly canReject: boolean;
  readonly canRevoke: boolean;
  /** Promote: the Platform team, once every area approved the open RC. */
  readonly canPromote: boolean;
  /** QA pass / QA fail, each asking for a link or summary: the QA lead, while the RC is open. */
  readonly canQa: boolean;
  /** "Show my actions": on the base card and on a view with nothing to do, while anyone can act. */
  readonly showMyActions: boolean;
  /** On a person's view with nothing to do: "Nothing on this RC waits for you now."; ''. */
  readonly viewerNote: string;
  /** What the RC waits for and on whom (domain `waitingOn`), one line each; [] once it is closed. */
  readonly waiting: readonly string[];
  readonly refresh: CardRefresh;
  /** Link to the release thread, shown when the card is sent elsewhere; '' to hide. */
  readonly threadUrl: string;
  /** A line above the card for the person who clicked, e.g. why their click changed nothing; '' for none. */
  readonly notice: string;
  /** Notification / accessibility text. */
  readonly fallbackText: string;
}

/** cards/promotion.json: the rich form of the runbook's promotion line. */
export interface PromotionCardData {
  /** Exactly `promotionText(...)`: markdown, the notes as a named link. */
  readonly text: string;
  /** `promotionPlainText(...)`: the same line with the URL written out. */
  readonly fallbackText: string;
  readonly rcVersion: string; // "2026.4.0-rc.3"
  readonly version: string; // "2026.4.0"
  readonly notesUrl: string;
  readonly promotedLine: string; // "Promoted by Jake Edgington · Wed 15 Apr 2026, 09:00 EDT"
}

export interface HelpCommand {
  /** "reject <rc> [for <area>] <reason>"; may span lines. */
  readonly syntax: string;
  readonly description: string;
  /** "@lendos reject rc.3 login fails on Safari"; may span lines. */
  readonly example: string;
  /** `syntax` line by line: each line is its own plain-text run, so <placeholders> show and lines stay apart. */
  readonly syntaxLines: readonly string[];
  /** `example` line by line, the first one led by "e.g. ". */
  readonly exampleLines: readonly { readonly lead: string; readonly text: string }[];
}

/** A command of a role the person does not hold, listed once under "Show all commands". */
export interface HelpOtherCommand {
  readonly name: string; // "promote"
  readonly syntaxLines: readonly string[];
  /** "Platform team: Promote an RC to a release once every lead has approved it." */
  readonly description: string;
}

/**
 * cards/help.json: the commands of the person's roles first, each once; every other command behind
 * a "Show all commands" toggle, each once.
 */
export interface HelpCardData {
  readonly name: string;
  /** Role names for the summary line, e.g. ["Lead approver for QA", "QA lead", "everyone"]. */
  readonly roles: readonly string[];
  /** When the @mention may be left out. */
  readonly mentionRule: string;
  /** What rc.N means where. */
  readonly versionRule: string;
  readonly yours: readonly HelpCommand[];
  readonly others: readonly HelpOtherCommand[];
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
  readonly stateIcon: string;
  readonly stateStyle: CardStyle;
  readonly waiting: readonly WaitingItem[];
  readonly threadUrl: string; // '' when unknown
  /** The release's deployments, newest last. */
  readonly deployments: readonly StatusDeployment[];
  /** Environment locks and freezes in force now, one line each ("🔒 BXCI Production: locked by …"). */
  readonly holds: readonly { readonly text: string }[];
}

export interface StatusDeployment {
  readonly title: string; // "Deploy 2026.4.0 to BXCI Production"
  readonly window: string;
  /** "Live", "Scheduled — waiting for on-call coverage …". */
  readonly state: string;
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
  /** "33 earlier events: type `history 2026.4.0 page 2`.", "Page 2 of 2, the oldest events." or ''. */
  readonly note: string;
}

// ---- deployments (runbook 3.1–4.5) ----------------------------------------------------------

/**
 * The verbs of the deployment cards' buttons. They arrive in `activity.value.action.verb` from an
 * Action.Execute, and in `activity.value.data.verb` from the schedule form's Action.Submit in a dialog.
 */
export const DEPLOYMENT_CARD_VERBS = [
  'scheduleDeploy',
  'rescheduleDeploy',
  'confirmOnCall',
  'overrideOnCall',
  'startDeploy',
  'readyDeploy',
  'stableDeploy',
  'smokePass',
  'smokeFail',
  'goLive',
  'goLiveOverride',
  'abortDeploy',
] as const;
export type DeploymentCardVerb = (typeof DEPLOYMENT_CARD_VERBS)[number];

/** What every button on a deployment's cards carries in `data`, so a click can be checked against what the clicker saw. */
export interface DeploymentCardRef {
  readonly deploymentId: string;
  /** DeploymentState.revision the card was rendered from. */
  readonly revision: number;
}

// What the deployment cards' buttons and the schedule form send back is src/cards/card-actions.ts
// (`DeploymentCardAction`, `ScheduleFormInput`: the schemas' types).

/** One option of an Input.ChoiceSet. */
export interface CardChoice {
  readonly title: string;
  readonly value: string;
}

export interface CardFact {
  readonly title: string;
  readonly value: string;
}

/** `data` of the schedule form's submit button, before Teams merges the inputs in. */
export type ScheduleSubmitData =
  | { readonly verb: 'scheduleDeploy' }
  | ({ readonly verb: 'rescheduleDeploy' } & DeploymentCardRef);

/** What the schedule form's inputs show when it opens; '' for an empty input. */
export interface ScheduleFormValueData {
  readonly version: string;
  readonly environment: string;
  readonly date: string; // "2026-04-14"
  readonly time: string; // "22:00"
  readonly durationMinutes: number;
  readonly engineer: string;
  /** Comma-separated person ids, as a multi-select ChoiceSet takes them. */
  readonly validators: string;
}

/**
 * cards/schedule-form.json: `schedule deploy` alone, the message-extension dialog, and reschedule.
 * The same JSON serves chat (Action.Execute) and a dialog (Action.Submit): `inDialog` picks.
 */
export interface ScheduleFormData {
  readonly title: string; // "Schedule a deployment", "Reschedule Deploy 2026.4.0 to BXCI Production"
  /** Why the last submit was refused, shown at the top; '' for none. */
  readonly error: string;
  /** What a typed `schedule deploy` left out, to fill in here; '' for none. */
  readonly note: string;
  readonly inDialog: boolean;
  /** Reschedule: release, environment and people are shown as facts, not inputs. */
  readonly reschedule: boolean;
  readonly verb: ScheduleSubmitData['verb'];
  /** The submit button's `data`, bound whole; Teams merges the inputs into it. */
  readonly submitData: ScheduleSubmitData;
  readonly submitTitle: string; // "Schedule", "Reschedule"
  readonly facts: readonly CardFact[];
  readonly releases: readonly CardChoice[];
  readonly environments: readonly CardChoice[];
  readonly engineers: readonly CardChoice[];
  readonly validatorPool: readonly CardChoice[];
  readonly values: ScheduleFormValueData;
  readonly timeLabel: string; // "Start time (America/New_York)"
  /** "Windows may not overlap business hours (Mon–Fri 09:00–18:00, America/New_York) unless the release is a hotfix." */
  readonly windowRule: string;
  /** "2026.4.1 is a hotfix: it may be deployed during business hours."; '' when no hotfix is offered. */
  readonly hotfixNote: string;
  readonly minMinutes: number;
  readonly maxMinutes: number;
  /** False when a choice list is empty; `blockers` then say why and the submit button is left out. */
  readonly canSubmit: boolean;
  readonly blockers: readonly string[];
  readonly fallbackText: string;
}

/** Where a deployment stands, as the company notice shows it. */
export type NoticeState = 'scheduled' | 'rescheduled' | 'in-progress' | 'live' | 'aborted' | 'cancelled';

/** cards/company-notice.json: the root post in #general (runbook 3.2). */
export interface CompanyNoticeData {
  readonly title: string; // "Deployment: 2026.4.0 to BXCI Production"
  readonly hotfix: boolean;
  readonly state: NoticeState;
  /** "Scheduled", "Rescheduled", "In progress · started 22:02 EDT", "Finished · 2026.4.0 is live in BXCI Production since 23:20 EDT", "Aborted · 22:20 EDT", "Cancelled". */
  readonly stateText: string;
  readonly stateIcon: string; // 📅 🔁 🚧 ✅ ⛔ 🚫
  readonly stateStyle: CardStyle;
  /** formatWindow: "Tue 14 Apr 2026, 22:00–23:30 EDT (02:00–03:30 UTC)". */
  readonly windowText: string;
  /** "Previously Tue 14 Apr 2026, …", only when rescheduled; ''. */
  readonly previousWindow: string;
  /** "Please avoid making changes to BXCI Production during the window.", '' once it is over. */
  readonly avoidText: string;
  /** Cancel or abort reason; ''. */
  readonly reason: string;
  readonly ircLine: string; // "IRC: Steven Inouye"
  readonly fallbackText: string;
}

/** cards/on-call.json: on-call coverage for a deployment's window (runbook 3.3). */
export interface OnCallCardData extends DeploymentCardRef {
  readonly title: string; // "On-call coverage · Deploy 2026.4.0 to BXCI Production"
  readonly windowText: string;
  /** "On call: Jake Edgington", "On call: not named yet — pick who covers when you confirm". */
  readonly personLine: string;
  readonly statusIcon: string; // ⏳ ✅ 🔁 —
  /** "Awaiting confirmation by an IRC (Steven Inouye)", "Confirmed by Steven Inouye · Fri 10 Apr 2026, 10:01 EDT", "Overridden by …: Bosko Kocev covers". */
  readonly statusText: string;
  /** The override reason; ''. */
  readonly reason: string;
  /** "⚠️ PagerDuty did not answer within 2.5 s. Confirm who covers …", while awaited and the source named nobody; ''. */
  readonly problem: string;
  /** "The deployment can't start until coverage is confirmed.", or what stopped it; ''. */
  readonly note: string;
  /**
   * Confirm naming `confirmPerson` in one click; shown while awaiting, before the start, when the rota
   * names someone — and only on an IRC's own view (the card in the thread acts for nobody).
   */
  readonly canConfirm: boolean;
  /** Confirm with a person picked from `people`: the same, when the rota names nobody. */
  readonly canConfirmPicked: boolean;
  readonly canOverride: boolean;
  readonly confirmPerson: string; // person id, '' when unknown
  readonly confirmTitle: string; // "Confirm", "Confirm…" (which opens a picker)
  readonly people: readonly CardChoice[];
  /** "Show my actions": on the card in the thread while coverage is awaited. */
  readonly showMyActions: boolean;
  /** On a person's view with nothing to do: "Only an IRC (Steven Inouye) confirms on-call coverage."; ''. */
  readonly viewerNote: string;
  readonly refresh: CardRefresh;
  readonly notice: string;
  readonly fallbackText: string;
}

export interface TrackerPhaseRow {
  readonly id: string; // "phase-started"
  readonly icon: string; // ✅ ⏳ ❌ ⬜
  readonly label: string; // "Smoke tests (1 of 2 passed)"
  /** "22:02 EDT", "Jake Edgington · confirmed by Steven Inouye, Fri 10 Apr 2026, 10:01 EDT"; ''. */
  readonly detail: string;
}

export interface TrackerSmokeRow {
  readonly id: string; // "smoke-<person id>"
  readonly icon: string; // ✅ ❌ ⏳
  readonly name: string;
  readonly detail: string; // "Passed · 23:15 EDT — loans list fine", "Not reported"
}

export interface TrackerBugRow {
  /** "[Login fails](https://github.com/…/issues/12) · Rafaella Barrocas · 23:40 EDT", or the bare title without a link. */
  readonly text: string;
}

/** cards/tracker.json: the live tracker in the #engineering release thread (runbook 4.1–4.5). */
export interface TrackerCardData extends DeploymentCardRef {
  readonly title: string; // "Deploy 2026.4.0 to BXCI Production"
  readonly hotfix: boolean;
  readonly windowText: string;
  readonly peopleLine: string; // "IRC Steven Inouye · Engineer Bosko Kocev"
  /** The meeting's join link, '' while unknown. */
  readonly meetingUrl: string;
  /** A prefilled "new meeting" link, used only while `meetingUrl` is ''; '' for none. */
  readonly newMeetingUrl: string;
  /** The meeting section: while the deployment is scheduled or under way. */
  readonly showMeeting: boolean;
  /** "Then turn on recording: Meeting options → Record automatically.", shown with the new-meeting link. */
  readonly recordingReminder: string;
  readonly phases: readonly TrackerPhaseRow[];
  /** "Started 22:02 EDT · 47 of ~90 min", "Started 22:02 EDT · Running 12 min over the estimate"; ''. */
  readonly clockText: string;
  /** 'warning' once the window runs past its estimate, 'attention' after an abort. */
  readonly clockStyle: CardStyle;
  readonly smokeTitle: string; // "Smoke tests · 1 of 2 passed"
  readonly smoke: readonly TrackerSmokeRow[];
  readonly bugs: readonly TrackerBugRow[];
  readonly final: 'none' | 'live' | 'aborted' | 'cancelled';
  readonly finalTitle: string; // "2026.4.0 live in BXCI Production.", "Aborted: migration failed"
  readonly finalText: string; // who and when, and an override's reason
  /** "Follow the Incident Response runbook." after an abort; ''. */
  readonly finalHint: string;
  /**
   * The buttons of whoever the card is rendered for (domain/deployment-actions.ts
   * `deploymentActionsFor`): none on the base card everyone sees; a person's own on their view.
   */
  readonly canStart: boolean;
  readonly canReady: boolean;
  readonly canStable: boolean;
  /** Smoke pass / fail: the validator the view is for, once stable. */
  readonly canSmoke: boolean;
  /** Live: every validator passed; the smoke buttons then move to the overflow menu. */
  readonly canGoLive: boolean;
  readonly canGoLiveOverride: boolean;
  readonly canAbort: boolean;
  /** "Show my actions": on the base card and on a view with nothing to do, while anyone can act. */
  readonly showMyActions: boolean;
  /** On a person's view with nothing to do: "Nothing in this deployment waits for you now."; ''. */
  readonly viewerNote: string;
  /** "Waiting for ready from the deployment engineer (Bosko Kocev) or …" (domain `waitingOn`), one line each; []. */
  readonly waiting: readonly string[];
  readonly refresh: CardRefresh;
  readonly notice: string;
  readonly fallbackText: string;
}

/** cards/evidence.json: `evidence 2026.4.0`, a summary of the pack with links to its exports. */
export interface EvidenceCardData {
  readonly title: string; // "Evidence pack · 2026.4.0"
  readonly generatedText: string; // "Built Tue 14 Apr 2026, 10:05 EDT from 47 stored events"
  readonly facts: readonly CardFact[];
  /** "✅ Every event matches the hash chain written with it", or what does not. */
  readonly integrityText: string;
  readonly integrityStyle: 'good' | 'attention';
  readonly problems: readonly string[];
  /** The pack's history digest: equal for two exports of the same history. */
  readonly digest: string;
  readonly markdownUrl: string;
  readonly jsonUrl: string;
  /** "The links expire at 10:20 EDT (in 15 minutes); ask again for new ones." */
  readonly linksText: string;
  readonly fallbackText: string;
}

export interface MetricsFigure {
  readonly id: string; // "frequency"
  readonly name: string; // "Deployment frequency"
  readonly value: string; // "2.3 a week"
  readonly detail: string; // "23 deployments went live in 70 days"
  /** Container behind the value: a rising failure rate stands out without coloured text. */
  readonly style: CardStyle;
}

/** One segment of a month's bar: weighted column widths draw it (ColumnSet bars render in every 1.5 host). */
export interface MetricsBarSegment {
  readonly weight: string; // "3"
  readonly style: 'good' | 'attention' | 'default';
}

export interface MetricsMonthRow {
  readonly label: string; // "Apr 2026"
  readonly bars: readonly MetricsBarSegment[];
  readonly count: string; // "6 · 1 failed"
}

/** cards/metrics.json: `metrics [environment] [since <date>]`. */
export interface MetricsCardData {
  readonly title: string; // "Delivery metrics · BXCI Production"
  readonly periodText: string;
  readonly figures: readonly MetricsFigure[];
  readonly chartTitle: string;
  readonly months: readonly MetricsMonthRow[];
  readonly legend: string;
  readonly definitions: readonly string[];
  readonly fallbackText: string;
}

/** Card name (the file `cards/<name>.json`) to the data it binds to. */
export interface CardDataMap {
  readonly rc: RcCardData;
  readonly promotion: PromotionCardData;
  readonly help: HelpCardData;
  readonly refusal: RefusalCardData;
  readonly status: StatusCardData;
  readonly history: HistoryCardData;
  readonly 'schedule-form': ScheduleFormData;
  readonly 'company-notice': CompanyNoticeData;
  readonly 'on-call': OnCallCardData;
  readonly tracker: TrackerCardData;
  readonly evidence: EvidenceCardData;
  readonly metrics: MetricsCardData;
}

export type CardName = keyof CardDataMap;

export const CARD_NAMES: readonly CardName[] = [
  'rc',
  'promotion',
  'help',
  'refusal',
  'status',
  'history',
  'schedule-form',
  'company-notice',
  'on-call',
  'tracker',
  'evidence',
  'metrics',
];
