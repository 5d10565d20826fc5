import { BOT_ACTOR } from '../domain/reminders';
import { ReleaseContext, releaseDecider } from '../domain/release';
import { Directory, ReleaseCommand, ReleaseEvent, ReleaseState } from '../domain/types';
import { CommandPlan, applyCommand } from './command-runner';
import { recordReleaseEvents } from './release-records';
import { isBotError } from '../errors';
import { DocumentStore } from '../store/document-store';
import {
  RELEASE_INDEX_ID,
  ReleaseDocument,
  ReleaseIndexDocument,
  ReleaseIndexEntry,
  ReleaseOutboxMessage,
  SETTINGS_PARTITION,
  ThreadIndexDocument,
  ThreadRef,
  threadKey,
} from './documents';
import { DocumentRepository } from './document-repository';
import { OutboxWorker, TeamsGateway } from './outbox';
import { deliverCardRefresh } from './card-refresh';
import { LruCache } from './lru-cache';
import { ThreadStarts } from './thread-starts';

/** A thread the outbox started for an RC, to be recorded on the release. */
export interface ReleaseEffect {
  readonly rc: number;
  readonly thread: ThreadRef;
}

/** Creates the final release on GitHub once an RC is promoted (`github.publishOnPromotion`). */
export interface ReleasePublisher {
  /** The final release's page; undefined when it existed already (a retried delivery). */
  publishFinal(state: ReleaseState, rc: number): Promise<{ readonly url: string } | undefined>;
}

export interface ReleaseOutboxOptions {
  readonly store: DocumentStore;
  readonly releases: DocumentRepository<ReleaseDocument>;
  readonly gateway: TeamsGateway;
  /** The base RC card everyone sees (each person's own view comes from a refresh). */
  readonly renderRcCard: (state: ReleaseState, rc: number) => Promise<object>;
  /** The release domain's directory (recording a posted root consults nobody, but decides like any command). */
  readonly directory: Directory;
  /** When a root is recorded as posted. */
  readonly now: () => Date;
  readonly publisher?: ReleasePublisher;
  /** The configured tenant, for personal chats when the thread's binding names none. */
  readonly tenantId?: string;
  /** Teams refused a personal reminder (403): record the lead unreachable, which tells Platform once. */
  readonly onPersonalChatRefused?: (version: string, message: Extract<ReleaseOutboxMessage, { kind: 'remindPersonally' }>, reason: string) => Promise<void>;
  /**
   * A root is about to be posted again although an earlier try may have reached Teams (a crash
   * between the post and its record): the earlier one, if it went out, is an orphan thread.
   */
  readonly onRepost?: (repost: { release: string; rc: number; attempts: number }) => void;
  /** A thread root is in the thread index: this instance's lookups need not read it back. */
  readonly onThreadIndexed?: (thread: ThreadRef, release: string, rc: number) => void;
}

/**
 * Why Teams refused a personal chat, in words, when it is a refusal that will not change on retry
 * (403: the app is not installed for the person, or they blocked it — MessageWritesBlocked).
 */
export function personalChatRefusal(error: unknown): string | undefined {
  const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
  if (statusCode !== 403) return undefined;
  if (code === 'MessageWritesBlocked' || code === 'ConversationBlockedByUser') return 'they blocked the app, or it is not installed for them';
  return `refused (403${typeof code === 'string' ? ` ${code}` : ''}): the app is probably not installed for them`;
}

/** Posts a release's messages: its RC threads, replies in them, card refreshes, acknowledgements. */
export function releaseOutboxWorker(options: ReleaseOutboxOptions): OutboxWorker<ReleaseDocument, ReleaseOutboxMessage, ReleaseEffect> {
  const { gateway, renderRcCard, store } = options;
  const starts = new ThreadStarts(store);
  // Roots this process posted whose recording has not gone through yet (a failing write): a retry
  // here reuses them rather than posting again. Small: an entry lives until the acknowledgement.
  const postedHere = new LruCache<ThreadRef>(256);

  const recordEffect = (doc: ReleaseDocument, effect: ReleaseEffect): ReleaseDocument => {
    const version = doc.state.version;
    const context = { actor: { id: BOT_ACTOR, name: 'LendOS' }, now: options.now(), directory: options.directory, version };
    const plan: CommandPlan<ReleaseDocument, ReleaseOutboxMessage, ReleaseCommand, ReleaseState, ReleaseEvent, ReleaseContext> = {
      decider: releaseDecider,
      command: { type: 'recordThread', rc: effect.rc, thread: effect.thread },
      select: (current) => ({ state: current?.state ?? doc.state, context }),
      record: (current, state, events) => recordReleaseEvents(current, version, state, events),
    };
    return applyCommand(doc, undefined, plan).write ?? doc;
  };

  const threadOf = (doc: ReleaseDocument, rc: number): ThreadRef => {
    const thread = doc.threads[rc];
    if (!thread) throw new Error(`the thread of rc.${rc} has not been posted yet`);
    return thread;
  };

  return {
    repository: options.releases,
    nameOf: (pk, id) => (pk === id && /^\d{4}\.\d+\.\d+$/.test(id) ? id : undefined),
    acknowledgeAtOnce: (message) => message.kind === 'postRcThread', // posting it twice would fork the thread
    // A card update shows the state current at delivery, and the index entry is rewritten whole.
    repeatable: (message) => message.kind === 'refreshRcCard' || message.kind === 'indexRelease',
    // A posted root is an event of the release (rcThreadPosted), recorded through the command runner
    // like any command, so the stored state stays the fold of the stored events.
    preview: (doc, effect) => recordEffect(doc, effect),
    acknowledge: (current, done, effects) => {
      const recorded = effects.reduce(recordEffect, current);
      return { ...recorded, outbox: recorded.outbox.filter((m) => !done.has(m.id)) };
    },
    async deliver(message, doc) {
      switch (message.kind) {
        case 'postRcThread': {
          if (doc.threads[message.rc]) return undefined; // posted and recorded before a crash
          // The root is posted at most once per crash: the intent is recorded before the post and
          // the posted root right after it, so a retry — after a failed index write or
          // acknowledgement, a restart, on another instance — finds it (src/app/thread-starts.ts).
          const version = doc.state.version;
          const channelId = message.channel.channelId;
          const memoryKey = `${version}\u0000${message.rc}\u0000${message.id}`;
          let thread = postedHere.get(memoryKey) ?? (await starts.find(channelId, version, message.rc))?.posted;
          if (!thread) {
            const before = await starts.intend(channelId, version, message.rc);
            if (before) options.onRepost?.({ release: version, rc: message.rc, attempts: before.attempts + 1 });
            thread = await gateway.startThread(message.channel, { card: await renderRcCard(doc.state, message.rc) });
            postedHere.set(memoryKey, thread);
            await starts.posted(channelId, version, message.rc, thread);
          }
          await indexThread(store, version, message.rc, thread);
          options.onThreadIndexed?.(thread, version, message.rc);
          return { rc: message.rc, thread };
        }
        case 'replyInRcThread':
          await gateway.send(threadOf(doc, message.rc), { text: message.text, mentions: message.mentions });
          return undefined;
        case 'remindPersonally': {
          const thread = threadOf(doc, message.rc);
          try {
            await gateway.sendPersonal({ aadObjectId: message.person, tenantId: thread.tenantId ?? options.tenantId, serviceUrl: thread.serviceUrl }, { text: message.text });
          } catch (error) {
            const refusal = personalChatRefusal(error);
            if (!refusal || !options.onPersonalChatRefused) throw error;
            // Not retried: Teams will refuse again until the app is installed for them. Platform is told instead.
            await options.onPersonalChatRefused(doc.state.version, message, refusal);
          }
          return undefined;
        }
        case 'refreshRcCard':
          await deliverCardRefresh(
            gateway,
            doc.outbox,
            message,
            (queued) => queued.kind === 'refreshRcCard' && queued.rc === message.rc,
            () => threadOf(doc, message.rc),
            () => renderRcCard(doc.state, message.rc),
          );
          return undefined;
        case 'reply':
          // An acknowledgement for a command typed in an RC thread before its root was recorded: the
          // post in that thread (the same conversation) already answers it.
          if (Object.values(doc.threads).some((thread) => thread.conversationId === message.to.conversationId)) return undefined;
          await gateway.send(message.to, { text: message.text });
          return undefined;
        case 'indexRelease':
          await indexRelease(store, doc);
          return undefined;
        case 'publishRelease': {
          const published = await options.publisher?.publishFinal(doc.state, message.rc);
          if (published) await gateway.send(threadOf(doc, message.rc), { text: `🏷️ ${doc.state.version} is published on GitHub: ${published.url}` });
          return undefined;
        }
      }
    },
  };
}

async function indexThread(store: DocumentStore, release: string, rc: number, thread: ThreadRef): Promise<void> {
  const doc: ThreadIndexDocument = { ...threadKey(thread.conversationId), type: 'thread', release, rc, conversationId: thread.conversationId };
  try {
    await store.create(doc);
  } catch (error) {
    if (!isBotError(error, 'conflict')) throw error;
  }
}

/** Keeps the short list of recent releases that `status` without a version falls back to. */
async function indexRelease(store: DocumentStore, doc: ReleaseDocument): Promise<void> {
  const current = doc.state.rcs[doc.state.rcs.length - 1];
  if (!current) return;
  const entry: ReleaseIndexEntry = {
    version: doc.state.version,
    currentRc: current.number,
    promoted: Boolean(doc.state.promotion),
    hotfix: current.hotfix,
    updatedAt: doc.events[doc.events.length - 1]?.at ?? current.cutAt,
  };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const existing = await store.read<ReleaseIndexDocument>(SETTINGS_PARTITION, RELEASE_INDEX_ID);
    const releases = [entry, ...(existing?.doc.releases ?? []).filter((r) => r.version !== entry.version)].slice(0, 50);
    const next: ReleaseIndexDocument = { id: RELEASE_INDEX_ID, pk: SETTINGS_PARTITION, type: 'releaseIndex', releases };
    try {
      if (existing) await store.replace(next, existing.etag);
      else await store.create(next);
      return;
    } catch (error) {
      if (!isBotError(error, 'stale') && !isBotError(error, 'conflict')) throw error;
    }
  }
}
