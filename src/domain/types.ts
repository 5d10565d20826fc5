// The release domain's vocabulary. Pure data: no I/O, no botbuilder.

/** A person is their Microsoft Entra object id; the name is only for display. */
export interface Actor {
  readonly id: string;
  readonly name: string;
}

/** Who holds which role, resolved from config. The domain asks; it never reads config itself. */
export interface Directory {
  /** Areas (keys) this person leads. Usually zero or one. */
  areasLedBy(personId: string): readonly string[];
  isPlatform(personId: string): boolean;
  isQaLead(personId: string): boolean;
  isIrc(personId: string): boolean;
  /** All configured approval areas, in display order. */
  readonly areas: readonly AreaInfo[];
  /** Display name for a person id, falling back to the id. */
  nameOf(personId: string): string;
  /** Who holds a role, so a refusal can say whom to ask. Optional: without it refusals name no one. */
  peopleWith?(role: DirectoryRole): readonly string[];
  /** Areas this person stands in for as a deputy right now (domain/deputies.ts); none without it. */
  coversOf?(personId: string): readonly DeputyOf[];
  /** Who stands in for this area's lead right now (domain/deputies.ts); none without it. */
  deputyOfArea?(areaKey: string): string | undefined;
}

/** An area someone decides as an away lead's deputy, until an instant (ISO). */
export interface DeputyOf {
  readonly area: string;
  readonly lead: string;
  readonly until: string;
}

export type DirectoryRole = 'platform' | 'qaLead' | 'irc';

export interface AreaInfo {
  readonly key: string; // "product"
  readonly name: string; // "Product"
  readonly leadId: string;
}

export type Decision = 'approved' | 'rejected';

export interface AreaDecision {
  readonly decision: Decision;
  readonly by: string; // person id
  readonly at: string; // ISO instant
  readonly reason?: string; // rejections only
  /** The lead `by` stood in for, when a deputy decided. */
  readonly deputyFor?: string;
}

export interface RcContents {
  readonly features: readonly string[];
  readonly fixes: readonly string[];
  readonly notesUrl?: string;
  readonly knownIssues: readonly string[];
  /** Where the cut came from when it was not typed: a GitHub pre-release or tag (a webhook). */
  readonly source?: RcSource;
}

/** A cut made from GitHub: who published the pre-release (or pushed the tag), and which. */
export interface RcSource {
  readonly system: 'github';
  /** GitHub login of the person who published or pushed, e.g. "octocat". */
  readonly login: string;
  /** The tag as written on GitHub, "v2026.4.0-rc.3" or "2026.4.0-rc.3". */
  readonly tag: string;
  /** "owner/repo". */
  readonly repository: string;
  /** The release page (or the tag) on GitHub. */
  readonly url: string;
  /** Oldest commit since the previous release tag, when the bot could read it (lead time from first commit). */
  readonly firstCommitAt?: string;
}

export interface QaResult {
  readonly result: 'pass' | 'fail';
  readonly summary: string;
  readonly by: string;
  readonly at: string;
}

export type RcStatus = 'open' | 'superseded' | 'promoted';

export interface RcState {
  readonly number: number; // 3 for 2026.4.0-rc.3
  readonly hotfix: boolean;
  readonly cutBy: string;
  readonly cutAt: string;
  readonly contents: RcContents;
  readonly status: RcStatus;
  readonly supersededBy?: number;
  readonly qa?: QaResult;
  /** Keyed by area key. An RC's decisions count for that RC only. */
  readonly decisions: Readonly<Record<string, AreaDecision>>;
  /** Nudges already sent for this RC (domain/reminders.ts), so each fires once. */
  readonly reminders?: readonly ReminderMark[];
  /** The root post of the RC's thread in #engineering, once the bot has posted it. */
  readonly root?: PostRef;
}

/** A post the bot made in Teams, by ids: its conversation, service and message. */
export interface PostRef {
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly tenantId?: string;
  readonly activityId: string;
}

/** A nudge step taken for one area's lead on one RC. 'unreachable': Teams refused their personal chat. */
export type ReminderStep = 'thread' | 'personal' | 'unreachable';

export interface ReminderMark {
  readonly area: string;
  readonly person: string;
  readonly step: ReminderStep;
  readonly at: string;
}

export interface Promotion {
  readonly rc: number;
  readonly by: string;
  readonly at: string;
  readonly notesUrl: string;
}

/** Everything known about one release (e.g. 2026.4.0) and its RCs. */
export interface ReleaseState {
  readonly version: string; // "2026.4.0"
  readonly rcs: readonly RcState[]; // ascending by number
  readonly promotion?: Promotion;
  /** Bumped by every event; cards carry it so a click can tell what the clicker saw. */
  readonly revision: number;
}

export type ReleaseCommand =
  | { readonly type: 'cutRc'; readonly rc: number; readonly hotfix: boolean; readonly contents: RcContents }
  | { readonly type: 'recordQa'; readonly rc: number; readonly result: 'pass' | 'fail'; readonly summary: string }
  /** `comment`: free text written after the command ("looks good 👍"), recorded with the decision. */
  | { readonly type: 'approve'; readonly rc: number; readonly area?: string; readonly comment?: string }
  | { readonly type: 'reject'; readonly rc: number; readonly reason: string; readonly area?: string }
  | { readonly type: 'revoke'; readonly rc: number; readonly area?: string; readonly comment?: string }
  | { readonly type: 'promote'; readonly rc: number; readonly notesUrl?: string }
  /** From the outbox once Teams took the RC's root post, not typed by people. */
  | { readonly type: 'recordThread'; readonly rc: number; readonly thread: PostRef };

interface EventBase {
  readonly at: string;
  readonly by: string;
  readonly rc: number;
}

export type ReleaseEvent =
  | (EventBase & { readonly type: 'rcCut'; readonly hotfix: boolean; readonly contents: RcContents })
  | (EventBase & { readonly type: 'rcSuperseded'; readonly supersededBy: number; readonly voidedAreas: readonly string[] })
  | (EventBase & { readonly type: 'qaRecorded'; readonly result: 'pass' | 'fail'; readonly summary: string })
  /** `deputyFor`: the lead whose deputy decided (domain/deputies.ts); `comment`: what they wrote with it. */
  | (EventBase & { readonly type: 'approved'; readonly area: string; readonly deputyFor?: string; readonly comment?: string })
  | (EventBase & { readonly type: 'rejected'; readonly area: string; readonly reason: string; readonly deputyFor?: string })
  | (EventBase & { readonly type: 'revoked'; readonly area: string; readonly revokedDecision: Decision; readonly deputyFor?: string; readonly comment?: string })
  | (EventBase & { readonly type: 'promoted'; readonly notesUrl: string })
  /** The bot nudged a pending lead (`by` is the bot); domain/reminders.ts decides when. */
  | (EventBase & { readonly type: 'leadReminded'; readonly area: string; readonly person: string; readonly step: 'thread' | 'personal' })
  /** Teams refused the personal chat with that lead (app not installed for them, or blocked); Platform is told once. */
  | (EventBase & { readonly type: 'leadUnreachable'; readonly area: string; readonly person: string; readonly reason: string })
  /** The bot posted the RC's thread root in #engineering (`by` is the bot). */
  | (EventBase & { readonly type: 'rcThreadPosted'; readonly thread: PostRef });

/** A rule said no. `reason` is shown to the person as is; `hint` tells them what to do instead. */
export interface Refusal {
  readonly kind: 'refusal';
  readonly code: RefusalCode;
  readonly reason: string;
  readonly hint?: string;
}

export type RefusalCode =
  | 'not-allowed'
  | 'unknown-rc'
  | 'rc-not-current'
  | 'rc-exists'
  | 'rc-out-of-order'
  | 'already-promoted'
  | 'already-decided'
  | 'area-taken'
  | 'area-ambiguous'
  | 'nothing-to-revoke'
  | 'rejected-blocks'
  | 'approvals-missing'
  | 'missing-input'
  | 'invalid-input' // present but malformed: a notes link that is not http(s), rc.0
  | 'no-release'
  | 'channel-not-registered'
  // deployments (runbook 3.1–5)
  | 'unknown-deployment'
  | 'already-scheduled'
  | 'not-promoted'
  | 'unknown-person'
  | 'not-a-validator'
  | 'window-length'
  | 'window-in-past'
  | 'in-business-hours'
  | 'window-conflict'
  | 'on-call-unconfirmed'
  | 'window-not-open' // start before the announced window opens
  | 'window-passed' // start after the announced window closed
  | 'wrong-phase'
  | 'smoke-incomplete'
  | 'deployment-finished'
  | 'frozen' // inside a freeze period (src/domain/freezes.ts)
  | 'locked'; // someone else holds the environment (src/domain/locks.ts)

export interface Accepted {
  readonly kind: 'accepted';
  readonly events: readonly ReleaseEvent[];
  readonly state: ReleaseState;
}

export type Outcome = Accepted | Refusal;

// ---- deployments (runbook 3.1–5 and hotfixes) -----------------------------------------------

/** The Directory plus what deployments ask: is this a configured person, may they validate. */
export interface DeploymentDirectory extends Directory {
  /** True for anyone in the configured people list. */
  isKnown(personId: string): boolean;
  isValidator(personId: string): boolean;
  /** The configured validator pool, in config order. */
  readonly validatorPool: readonly string[];
}

export type DeploymentPhase = 'scheduled' | 'in-progress' | 'ready' | 'stable' | 'live' | 'aborted' | 'cancelled';

export interface EnvironmentRef {
  readonly key: string; // "bxci-production"
  readonly name: string; // "BXCI Production"
}

/** ISO instants; half-open (the end is outside). */
export interface DeploymentWindow {
  readonly start: string;
  readonly end: string;
}

export type OnCallCoverage =
  | { readonly kind: 'confirmed'; readonly person: string; readonly by: string; readonly at: string }
  | { readonly kind: 'overridden'; readonly person: string; readonly reason: string; readonly by: string; readonly at: string };

export interface SmokeResult {
  readonly validator: string;
  readonly result: 'pass' | 'fail';
  readonly notes: string;
  readonly at: string;
}

export interface DeploymentMeeting {
  readonly joinUrl: string;
  readonly meetingId: string;
  readonly at: string;
}

export interface FiledBug {
  readonly title: string;
  /** The issue's page: given with the bug, or the GitHub issue the bot filed for it. */
  readonly url?: string;
  /** The GitHub issue number, when the bot filed it. */
  readonly issue?: number;
  readonly at: string;
  readonly by: string;
}

/** An IRC took the deployment live without every validator's pass. */
export interface LiveOverride {
  readonly reason: string;
  readonly by: string;
  readonly at: string;
  /** Validators who had not passed (pending or failed) at that moment. */
  readonly without: readonly string[];
}

export interface DeploymentStop {
  readonly reason: string;
  readonly by: string;
  readonly at: string;
  /** The phase it was stopped in. */
  readonly during: DeploymentPhase;
}

/** One deployment of one release to one environment ("Deploy 2026.4.0 to BXCI Production"). */
export interface DeploymentState {
  readonly id: string;
  readonly version: string; // "2026.4.0"
  readonly hotfix: boolean;
  readonly environment: EnvironmentRef;
  readonly window: DeploymentWindow;
  readonly scheduledBy: string; // the IRC
  readonly engineer: string;
  readonly validators: readonly string[];
  readonly meeting?: DeploymentMeeting;
  readonly onCall?: OnCallCoverage;
  readonly phase: DeploymentPhase;
  /** When each phase reached so far began (ISO). */
  readonly phaseAt: Readonly<Partial<Record<DeploymentPhase, string>>>;
  /** At most one per validator, in the deployment's validator order; a validator may change theirs until live. */
  readonly smoke: readonly SmokeResult[];
  readonly liveOverride?: LiveOverride;
  readonly cancelled?: DeploymentStop;
  readonly aborted?: DeploymentStop;
  readonly bugs: readonly FiledBug[];
  /** Freezes an IRC overrode for this deployment, with why; an overridden freeze no longer holds it back. */
  readonly freezeOverrides?: readonly FreezeOverride[];
  /** Bumped by every event; cards carry it so a click can tell what the clicker saw. */
  readonly revision: number;
}

export interface FreezeOverride {
  readonly freeze: string;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

/** A window as commands carry it (parsed instants). */
export interface WindowInput {
  readonly start: Date;
  readonly end: Date;
}

export type DeploymentCommand =
  | {
      readonly type: 'schedule';
      /** Injected by the caller so the domain stays deterministic. */
      readonly id: string;
      readonly version: string;
      readonly environment: EnvironmentRef;
      readonly window: WindowInput;
      readonly engineer: string;
      readonly validators: readonly string[];
      /** An IRC's reason for deploying inside a freeze (recorded); absent: a freeze refuses. */
      readonly freezeOverride?: string;
    }
  | { readonly type: 'reschedule'; readonly window: WindowInput; readonly freezeOverride?: string }
  | { readonly type: 'cancel'; readonly reason: string }
  | { readonly type: 'confirmOnCall'; readonly person: string }
  | { readonly type: 'overrideOnCall'; readonly person: string; readonly reason: string }
  | { readonly type: 'start'; readonly freezeOverride?: string }
  | { readonly type: 'ready' }
  | { readonly type: 'stable' }
  | { readonly type: 'smoke'; readonly result: 'pass' | 'fail'; readonly notes: string }
  | { readonly type: 'live'; readonly overrideReason?: string }
  | { readonly type: 'abort'; readonly reason: string }
  /** From the Graph integration once the meeting exists, not typed by people. */
  | { readonly type: 'recordMeeting'; readonly joinUrl: string; readonly meetingId: string }
  | { readonly type: 'recordBug'; readonly title: string; readonly url?: string }
  /** From the outbox once GitHub filed the issue for bug `bug` (its index), not typed by people. */
  | { readonly type: 'recordIssue'; readonly bug: number; readonly url: string; readonly issue: number };

interface DeploymentEventBase {
  readonly at: string;
  readonly by: string;
}

export type DeploymentEvent =
  | (DeploymentEventBase & {
      readonly type: 'deploymentScheduled';
      readonly id: string;
      readonly version: string;
      readonly hotfix: boolean;
      readonly environment: EnvironmentRef;
      readonly window: DeploymentWindow;
      readonly engineer: string;
      readonly validators: readonly string[];
    })
  | (DeploymentEventBase & {
      readonly type: 'deploymentRescheduled';
      readonly from: DeploymentWindow;
      readonly window: DeploymentWindow;
      /** The coverage confirmed for the old window, now void. */
      readonly voidedOnCall?: OnCallCoverage;
    })
  | (DeploymentEventBase & { readonly type: 'deploymentCancelled'; readonly reason: string })
  | (DeploymentEventBase & { readonly type: 'onCallConfirmed'; readonly person: string })
  | (DeploymentEventBase & { readonly type: 'onCallOverridden'; readonly person: string; readonly reason: string })
  | (DeploymentEventBase & { readonly type: 'deploymentStarted' })
  | (DeploymentEventBase & { readonly type: 'deploymentReady' })
  | (DeploymentEventBase & { readonly type: 'deploymentStable' })
  | (DeploymentEventBase & {
      readonly type: 'smokeRecorded';
      readonly result: 'pass' | 'fail';
      readonly notes: string;
      readonly previous?: 'pass' | 'fail';
    })
  | (DeploymentEventBase & {
      readonly type: 'deploymentLive';
      readonly override?: { readonly reason: string; readonly without: readonly string[] };
    })
  | (DeploymentEventBase & { readonly type: 'deploymentAborted'; readonly reason: string; readonly during: DeploymentPhase })
  | (DeploymentEventBase & { readonly type: 'meetingRecorded'; readonly joinUrl: string; readonly meetingId: string })
  | (DeploymentEventBase & { readonly type: 'bugRecorded'; readonly title: string; readonly url?: string })
  /** The bot filed bug `bug` (its index) on GitHub as issue `issue`. */
  | (DeploymentEventBase & { readonly type: 'bugFiled'; readonly bug: number; readonly url: string; readonly issue: number })
  /** An IRC scheduled, moved or started the deployment inside a freeze, with a reason. */
  | (DeploymentEventBase & {
      readonly type: 'freezeOverridden';
      readonly freeze: string;
      readonly from: string;
      readonly to: string;
      readonly reason: string;
      readonly during: 'schedule' | 'reschedule' | 'start';
    });

/** What the caller knows about the release being scheduled; undefined in the context when no such release exists. */
export interface ReleaseFacts {
  readonly promoted: boolean;
  /** The promoted RC was cut as a hotfix: its deployments may overlap business hours. */
  readonly hotfix: boolean;
}

export interface DeploymentAccepted {
  readonly kind: 'accepted';
  readonly events: readonly DeploymentEvent[];
  readonly state: DeploymentState;
}

export type DeploymentOutcome = DeploymentAccepted | Refusal;
