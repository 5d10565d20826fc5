import { createHash } from 'node:crypto';
import { ReleaseEvent, ReleaseState } from '../domain/types';
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
  | { readonly id: string; readonly kind: 'replyInRcThread'; readonly rc: number; readonly text: string }
  | { readonly id: string; readonly kind: 'refreshRcCard'; readonly rc: number }
  | { readonly id: string; readonly kind: 'reply'; readonly to: ConversationTarget; readonly text: string }
  | { readonly id: string; readonly kind: 'indexRelease' };

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
export const RECENT_ACTIVITY_LIMIT = 200;

export function releaseKey(version: string): { pk: string; id: string } {
  return { pk: version, id: version };
}

export function threadKey(conversationId: string): { pk: string; id: string } {
  const hash = createHash('sha256').update(conversationId).digest('hex').slice(0, 40);
  return { pk: `thread:${hash}`, id: hash };
}
