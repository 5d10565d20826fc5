import { createHash } from 'node:crypto';
import { ChainAnchor } from '../domain/event-chain';
import { EnvironmentLock, LockEvent } from '../domain/locks';
import { FreezeEvent } from '../domain/declared-freezes';
import { TrimmedChain } from '../domain/trimmed-chain';
import { DeploymentEvent, DeploymentState, EnvironmentRef, ReleaseEvent, ReleaseState } from '../domain/types';
import { StoredDocument } from '../store/document-store';

// The documents the bot keeps. One release = one document = one partition, so every command is a
// point read plus one conditional replace; side documents live in partitions of their own.

/** Where a message goes: a conversation the bot can post to. */
export interface ConversationTarget {
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly tenantId?: string;
}

/** A Teams channel the bot posts new threads in. */
export interface ChannelTarget {
  readonly channelId: string;
  readonly serviceUrl: string;
  readonly teamId?: string;
  readonly tenantId?: string;
}

/** A thread the bot started: the root post's conversation and activity ids. */
export interface ThreadRef extends ConversationTarget {
  readonly activityId: string;
}

/**
 * An outbound message waiting for delivery. Written in the same document write as the state change
 * that caused it; cards are rendered at delivery time from the state then current, so a late
 * delivery never shows old data.
 */
export type ReleaseOutboxMessage =
  | { readonly id: string; readonly kind: 'postRcThread'; readonly rc: number; readonly channel: ChannelTarget }
  | {
      readonly id: string;
      readonly kind: 'replyInRcThread';
      readonly rc: number;
      readonly text: string;
      /** People @mentioned in `text` as `<at>Name</at>`, by Entra object id. */
      readonly mentions?: ReadonlyArray<{ readonly id: string; readonly name: string }>;
    }
  /** A nudge in a personal chat with the person (proactive 1:1 by Entra id); a 403 records them unreachable. */
  | { readonly id: string; readonly kind: 'remindPersonally'; readonly rc: number; readonly area: string; readonly person: string; readonly text: string }
  | { readonly id: string; readonly kind: 'refreshRcCard'; readonly rc: number }
  | { readonly id: string; readonly kind: 'reply'; readonly to: ConversationTarget; readonly text: string }
  | { readonly id: string; readonly kind: 'indexRelease' }
  /** Promotion with `github.publishOnPromotion`: the final release and tag on GitHub, at the RC's commit. */
  | { readonly id: string; readonly kind: 'publishRelease'; readonly rc: number };

export interface ReleaseDocument extends StoredDocument {
  readonly type: 'release';
  readonly state: ReleaseState;
  readonly events: readonly ReleaseEvent[];
  readonly outbox: readonly ReleaseOutboxMessage[];
  /** Root posts of the RC threads, by RC number. */
  readonly threads: Readonly<Record<string, ThreadRef>>;
  /** Activity ids already applied, newest last; a redelivered activity changes nothing. */
  readonly recentActivityIds: readonly string[];
  /** Sequence for outbox message ids within this document. */
  readonly messageSeq: number;
  /** How many chunks of older events live in ReleaseHistoryDocuments (ids `<version>~history~<n>`). */
  readonly archivedChunks?: number;
  /** Hash-chain head over every event of the release (archived ones included), written with them. */
  readonly chain?: ChainAnchor;
}

/**
 * Older events of a release, moved out of the release document in fixed chunks so the document a
 * command rewrites stays small (and far under Cosmos's 2 MB) however long the release's history.
 */
export interface ReleaseHistoryDocument extends StoredDocument {
  readonly type: 'releaseHistory';
  readonly chunk: number;
  readonly events: readonly ReleaseEvent[];
}

/** The release document keeps at most this many events; the oldest HISTORY_CHUNK move out together. */
export const EVENTS_KEPT = 40;
export const HISTORY_CHUNK = 20;

export function releaseHistoryKey(version: string, chunk: number): { pk: string; id: string } {
  return { pk: version, id: `${version}~history~${chunk}` };
}

/** Maps a thread's conversation id back to its release, so `rc.3` typed in a thread resolves. */
export interface ThreadIndexDocument extends StoredDocument {
  readonly type: 'thread';
  readonly release: string;
  readonly rc: number;
  readonly conversationId: string;
}

export interface ChannelBindingsDocument extends StoredDocument {
  readonly type: 'channels';
  readonly bindings: Readonly<Partial<Record<ChannelKey, ChannelTarget & { boundBy: string; boundAt: string }>>>;
}

export type ChannelKey = 'engineering' | 'general' | 'productionSupport';

export interface ReleaseIndexEntry {
  readonly version: string;
  readonly currentRc: number;
  readonly promoted: boolean;
  readonly hotfix: boolean;
  readonly updatedAt: string;
}

export interface ReleaseIndexDocument extends StoredDocument {
  readonly type: 'releaseIndex';
  readonly releases: readonly ReleaseIndexEntry[];
}

export const SETTINGS_PARTITION = 'settings';
export const CHANNELS_ID = 'channels';
export const RELEASE_INDEX_ID = 'releases';
/** Teams redelivers within minutes; a release sees far fewer commands than this in that time. */
export const RECENT_ACTIVITY_LIMIT = 64;

export function releaseKey(version: string): { pk: string; id: string } {
  return { pk: version, id: version };
}

export function threadKey(conversationId: string): { pk: string; id: string } {
  const hash = createHash('sha256').update(conversationId).digest('hex').slice(0, 40);
  return { pk: `thread:${hash}`, id: hash };
}

/** One deployment as the environment document keeps it: its state and where the bot posted it. */
export interface DeploymentRecord {
  readonly state: DeploymentState;
  readonly events: readonly DeploymentEvent[];
  /** The #engineering thread of the release (the tracker and the live post go there). */
  readonly releaseThread?: ThreadRef;
  readonly posts: Readonly<Partial<Record<DeploymentPostKind, ThreadRef>>>;
  /** A prefilled "new meeting" link, when Graph is not configured to create the meeting. */
  readonly meetingLink?: string;
  /** The calendar event behind the meeting, when Graph created it. */
  readonly calendarEventId?: string;
  /** Who the on-call provider says is on call for the window; the on-call card proposes them. */
  readonly proposedOnCall?: string;
  /** Why the on-call provider couldn't say (PagerDuty timed out, failed, named someone unknown); the card shows it. */
  readonly onCallProblem?: string;
  /** When the IRC was reminded that the window ran past its estimate (reminders fire once). */
  readonly reminderSentAt?: string;
  /** When the Platform team was told who the deployment still waits for before its window (app/deployment-missing.ts; once). */
  readonly missingNoticeSentAt?: string;
  /** Hash-chain head over `events` (stream: the deployment id), written with them. */
  readonly chain?: ChainAnchor;
}

export type DeploymentPostKind = 'notice' | 'tracker' | 'onCall';

export type DeploymentOutboxMessage =
  | { readonly id: string; readonly kind: 'createMeeting'; readonly deploymentId: string }
  | { readonly id: string; readonly kind: 'updateMeeting'; readonly deploymentId: string }
  | { readonly id: string; readonly kind: 'cancelMeeting'; readonly deploymentId: string }
  | { readonly id: string; readonly kind: 'postNotice'; readonly deploymentId: string; readonly channel: ChannelTarget }
  | { readonly id: string; readonly kind: 'postTracker'; readonly deploymentId: string }
  | { readonly id: string; readonly kind: 'postOnCall'; readonly deploymentId: string }
  | { readonly id: string; readonly kind: 'refresh'; readonly deploymentId: string; readonly post: DeploymentPostKind }
  | {
      readonly id: string;
      readonly kind: 'sayInReleaseThread';
      readonly deploymentId: string;
      readonly text: string;
      readonly mentions?: ReadonlyArray<{ readonly id: string; readonly name: string }>;
    }
  | { readonly id: string; readonly kind: 'reply'; readonly to: ConversationTarget; readonly text: string }
  /** A finished deployment's record, copied into the permanent deployment log (app/deployment-log.ts). */
  | { readonly id: string; readonly kind: 'logDeployment'; readonly deploymentId: string }
  | {
      readonly id: string;
      readonly kind: 'fileBug';
      readonly deploymentId: string;
      readonly bugIndex: number;
      readonly title: string;
      readonly details: string;
      readonly reportedBy: string;
      readonly replyTo: ConversationTarget;
    };

/** An environment's deployments (active and recent): one document, so the overlap rule is one atomic check. */
export interface EnvironmentDocument extends StoredDocument {
  readonly type: 'environment';
  readonly environment: EnvironmentRef;
  readonly deployments: readonly DeploymentRecord[];
  readonly deploymentSeq: number;
  readonly outbox: readonly DeploymentOutboxMessage[];
  readonly recentActivityIds: readonly string[];
  readonly messageSeq: number;
  /** Who holds the environment, why, until when (src/domain/locks.ts); it ends by itself at `until`. */
  readonly lock?: EnvironmentLock;
  /** The newest lock and unlock events, for the record (at most LOCK_EVENTS_KEPT). */
  readonly lockEvents?: readonly LockEvent[];
  /** Freezes declared and lifted in Teams (src/domain/declared-freezes.ts); the freezes in force are their fold. */
  readonly freezeEvents?: readonly FreezeEvent[];
  /** How many freezes were ever declared here: the next one's id. */
  readonly freezeSeq?: number;
  /** Hash chains over `lockEvents` and `freezeEvents`, written with them (the evidence pack checks them). */
  readonly lockChain?: TrimmedChain;
  readonly freezeChain?: TrimmedChain;
}

/** The stream ids of an environment's lock and freeze events, for their hash chains. */
export function holdStreamId(environment: string, kind: 'locks' | 'freezes'): string {
  return `environment:${environment}/${kind}`;
}

export const LOCK_EVENTS_KEPT = 40;

/** Freeze events kept on the environment document, for the record (more while older freezes still hold). */
export const FREEZE_EVENTS_KEPT = 40;

/** Finished deployments kept on the environment document for status and history. */
export const FINISHED_DEPLOYMENTS_KEPT = 20;

export function environmentKey(environment: string): { pk: string; id: string } {
  return { pk: `environment:${environment}`, id: environment };
}
