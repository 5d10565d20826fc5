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
}

export interface RcContents {
  readonly features: readonly string[];
  readonly fixes: readonly string[];
  readonly notesUrl?: string;
  readonly knownIssues: readonly string[];
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
  | { readonly type: 'approve'; readonly rc: number; readonly area?: string }
  | { readonly type: 'reject'; readonly rc: number; readonly reason: string; readonly area?: string }
  | { readonly type: 'revoke'; readonly rc: number; readonly area?: string }
  | { readonly type: 'promote'; readonly rc: number; readonly notesUrl?: string };

interface EventBase {
  readonly at: string;
  readonly by: string;
  readonly rc: number;
}

export type ReleaseEvent =
  | (EventBase & { readonly type: 'rcCut'; readonly hotfix: boolean; readonly contents: RcContents })
  | (EventBase & { readonly type: 'rcSuperseded'; readonly supersededBy: number; readonly voidedAreas: readonly string[] })
  | (EventBase & { readonly type: 'qaRecorded'; readonly result: 'pass' | 'fail'; readonly summary: string })
  | (EventBase & { readonly type: 'approved'; readonly area: string })
  | (EventBase & { readonly type: 'rejected'; readonly area: string; readonly reason: string })
  | (EventBase & { readonly type: 'revoked'; readonly area: string; readonly revokedDecision: Decision })
  | (EventBase & { readonly type: 'promoted'; readonly notesUrl: string });

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
  | 'channel-not-registered';

export interface Accepted {
  readonly kind: 'accepted';
  readonly events: readonly ReleaseEvent[];
  readonly state: ReleaseState;
}

export type Outcome = Accepted | Refusal;
