import { ReleaseState } from '../domain/types';
import { isBotError } from '../errors';
import { Logger, errorFields } from '../logger';
import { DocumentStore } from '../store/document-store';
import {
  ChannelTarget,
  ConversationTarget,
  OutboxMessage,
  RELEASE_INDEX_ID,
  ReleaseDocument,
  ReleaseIndexDocument,
  ReleaseIndexEntry,
  SETTINGS_PARTITION,
  ThreadIndexDocument,
  ThreadRef,
  threadKey,
} from './documents';
import { ReleaseRepository } from './release-repository';

/** What the outbox needs from Teams; implemented over the Bot Connector in src/teams. */
export interface TeamsGateway {
  startThread(channel: ChannelTarget, message: OutboundMessage): Promise<ThreadRef>;
  send(to: ConversationTarget, message: OutboundMessage): Promise<void>;
  update(thread: ThreadRef, message: OutboundMessage): Promise<void>;
}

export interface OutboundMessage {
  readonly text?: string;
  /** Adaptive Card JSON. */
  readonly card?: object;
}

export interface OutboxOptions {
  readonly store: DocumentStore;
  readonly releases: ReleaseRepository;
  readonly gateway: TeamsGateway;
  readonly renderRcCard: (state: ReleaseState, rc: number) => object;
  readonly logger: Logger;
  /** First retry delay; doubles per failure up to maxDelayMs. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** A message the connector refuses as a client error (4xx) this many times is dropped and logged. */
  readonly maxClientErrorAttempts?: number;
  readonly sweepIntervalMs?: number;
}

/**
 * Delivers each release's pending messages in order, then acknowledges them in one conditional
 * write. A message is removed only after Teams accepted it, so a crash or an outage loses nothing;
 * a thread's root post is acknowledged at once, since posting it twice would fork the thread.
 */
export class OutboxDispatcher {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly attempts = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private sweepTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: OutboxOptions) {}

  /** Deliver what `version` has pending, now (or right after the delivery already running). */
  kick(version: string): void {
    if (this.stopped) return;
    if (this.running.has(version)) {
      this.again.add(version);
      return;
    }
    const run = this.deliver(version)
      .catch((error) => this.options.logger.error({ release: version, ...errorFields(error) }, 'outbox delivery failed'))
      .finally(() => {
        this.running.delete(version);
        if (this.again.delete(version)) this.kick(version);
      });
    this.running.set(version, run);
  }

  /** Picks up whatever earlier runs (or other instances) left pending, now and periodically. */
  async start(): Promise<void> {
    await this.sweep();
    const interval = this.options.sweepIntervalMs ?? 30_000;
    this.sweepTimer = setInterval(() => void this.sweep(), interval);
    this.sweepTimer.unref();
  }

  /** Resolves once nothing is being delivered (retries scheduled for later do not count). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.idle();
  }

  private async sweep(): Promise<void> {
    try {
      const pending = await this.options.store.listPendingOutbox();
      for (const { id } of pending) this.kick(id);
    } catch (error) {
      this.options.logger.warn(errorFields(error), 'outbox sweep failed');
    }
  }

  private async deliver(version: string): Promise<void> {
    const doc = await this.options.releases.get(version);
    if (!doc || doc.outbox.length === 0) return;
    const done = new Set<string>();
    const threads: Record<string, ThreadRef> = { ...doc.threads };
    let failed = false;
    for (const message of doc.outbox) {
      try {
        await this.deliverOne(message, doc, threads);
        done.add(message.id);
        this.attempts.delete(message.id);
        if (message.kind === 'postRcThread') {
          await this.acknowledge(version, done, threads);
          done.clear();
        }
      } catch (error) {
        if (this.giveUp(message, error, version)) {
          done.add(message.id);
          continue;
        }
        failed = true;
        this.retryLater(version, message);
        break;
      }
    }
    if (done.size > 0) await this.acknowledge(version, done, threads);
    if (!failed && (await this.options.releases.get(version))?.outbox.length) this.again.add(version);
  }

  private async deliverOne(message: OutboxMessage, doc: ReleaseDocument, threads: Record<string, ThreadRef>): Promise<void> {
    const { gateway, renderRcCard } = this.options;
    switch (message.kind) {
      case 'postRcThread': {
        if (threads[message.rc]) return; // posted before a crash, acknowledged; never fork the thread
        const thread = await gateway.startThread(message.channel, { card: renderRcCard(doc.state, message.rc) });
        threads[message.rc] = thread;
        await this.indexThread(doc.state.version, message.rc, thread);
        return;
      }
      case 'replyInRcThread':
        return gateway.send(threadOf(threads, message.rc), { text: message.text });
      case 'refreshRcCard': {
        const position = doc.outbox.indexOf(message);
        const later = doc.outbox.some((m, i) => i > position && m.kind === 'refreshRcCard' && m.rc === message.rc);
        if (later) return; // the later refresh shows the same, current state
        return gateway.update(threadOf(threads, message.rc), { card: renderRcCard(doc.state, message.rc) });
      }
      case 'reply':
        return gateway.send(message.to, { text: message.text });
      case 'indexRelease':
        return this.indexRelease(doc);
    }
  }

  private async acknowledge(version: string, done: ReadonlySet<string>, threads: Record<string, ThreadRef>): Promise<void> {
    await this.options.releases.mutate(version, (current) => {
      if (!current) return { result: undefined };
      return {
        write: { ...current, outbox: current.outbox.filter((m) => !done.has(m.id)), threads: { ...current.threads, ...threads } },
        result: undefined,
      };
    });
  }

  private async indexThread(release: string, rc: number, thread: ThreadRef): Promise<void> {
    const doc: ThreadIndexDocument = { ...threadKey(thread.conversationId), type: 'thread', release, rc, conversationId: thread.conversationId };
    try {
      await this.options.store.create(doc);
    } catch (error) {
      if (!isBotError(error, 'conflict')) throw error;
    }
  }

  private async indexRelease(doc: ReleaseDocument): Promise<void> {
    const { store } = this.options;
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

  private giveUp(message: OutboxMessage, error: unknown, version: string): boolean {
    const status = (error as { statusCode?: number }).statusCode;
    const clientError = typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
    const attempts = (this.attempts.get(message.id) ?? 0) + 1;
    this.attempts.set(message.id, attempts);
    if (clientError && attempts >= (this.options.maxClientErrorAttempts ?? 3)) {
      this.attempts.delete(message.id);
      this.options.logger.error(
        { release: version, message: message.id, kind: message.kind, attempts, ...errorFields(error) },
        'Teams refused an outbound message; dropped it',
      );
      return true;
    }
    this.options.logger.warn({ release: version, message: message.id, kind: message.kind, attempts, ...errorFields(error) }, 'outbound message failed; will retry');
    return false;
  }

  private retryLater(version: string, message: OutboxMessage): void {
    const attempts = this.attempts.get(message.id) ?? 1;
    const base = this.options.baseDelayMs ?? 500;
    const delay = Math.min(base * 2 ** (attempts - 1), this.options.maxDelayMs ?? 60_000);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.kick(version);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}

function threadOf(threads: Record<string, ThreadRef>, rc: number): ThreadRef {
  const thread = threads[rc];
  if (!thread) throw new Error(`the thread of rc.${rc} has not been posted yet`);
  return thread;
}
