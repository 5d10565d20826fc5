import { Logger, errorFields } from '../logger';
import { DocumentStore, StoredDocument } from '../store/document-store';
import { ChannelTarget, ConversationTarget, ThreadRef } from './documents';
import { DocumentRepository } from './document-repository';

/** What the outbox needs from Teams; implemented over the Bot Connector in src/teams. */
export interface TeamsGateway {
  startThread(channel: ChannelTarget, message: OutboundMessage): Promise<ThreadRef>;
  /** Posts into a conversation; resolves with the new message's activity id. */
  send(to: ConversationTarget, message: OutboundMessage): Promise<string>;
  /**
   * Replaces a posted card. With `coalesce` (an update showing the current state, which a later one
   * may stand in for) it may fail with DeliveryDeferred: sends are under pressure and the card just
   * changed, so it should go out later, with whatever is newest then.
   */
  update(post: ThreadRef, message: OutboundMessage, options?: { readonly coalesce?: boolean }): Promise<void>;
  /**
   * Posts in the personal chat with a person, by Entra object id (creating the 1:1 conversation, which
   * Teams answers with the existing one when there is one). Teams refuses with 403 when the app is
   * not installed for them or they blocked it.
   */
  sendPersonal(person: PersonalTarget, message: OutboundMessage): Promise<string>;
}

export interface PersonalTarget {
  readonly aadObjectId: string;
  readonly tenantId?: string;
  /** The Bot Connector of the person's tenant (any conversation's service URL there). */
  readonly serviceUrl: string;
}

export interface OutboundMessage {
  readonly text?: string;
  /** Adaptive Card JSON. */
  readonly card?: object;
  /** People @mentioned in `text` as `<at>Name</at>`. */
  readonly mentions?: ReadonlyArray<{ readonly id: string; readonly name: string }>;
}

/**
 * Not now, to stay within Teams' rate limits: try again once `until` resolves. A repeatable message
 * (a card update) is held back to be coalesced with later ones, and the messages after it go
 * first; any other stops its document's delivery there, so the order holds.
 */
export class DeliveryDeferred extends Error {
  constructor(
    readonly until: Promise<void>,
    readonly forMs: number,
  ) {
    super(`held back ${Math.ceil(forMs)} ms to stay within Teams' rate limits`);
    this.name = 'DeliveryDeferred';
  }
}

export interface QueuedMessage {
  readonly id: string;
  readonly kind: string;
}

export interface OutboxDocument<M extends QueuedMessage> extends StoredDocument {
  readonly outbox: readonly M[];
  readonly messageSeq: number;
}

/**
 * Delivers one kind of document's messages. `deliver` may return an effect (a thread it started,
 * a meeting it created); effects are written back at acknowledgement, and one that must never be
 * repeated (a new thread, a meeting, a GitHub issue) is acknowledged at once.
 */
export interface OutboxWorker<D extends OutboxDocument<M>, M extends QueuedMessage, E> {
  readonly repository: DocumentRepository<D>;
  /** The document's name (release version, environment key) for a pending (pk, id) from the sweep. */
  nameOf(pk: string, id: string): string | undefined;
  deliver(message: M, doc: D): Promise<E | undefined>;
  /** Whether the message's effect must be recorded before anything else is delivered. */
  acknowledgeAtOnce(message: M): boolean;
  /**
   * Whether delivering the message again changes nothing anyone sees (a card update showing the
   * current state, an index write). These may go out while a post's acknowledgement still waits
   * to ride on the next write; any other message first has that acknowledgement written, so a
   * crash repeats at most the one post in flight.
   */
  repeatable?(message: M): boolean;
  /** The document with `done` messages removed and the effects recorded; may queue follow-ups. */
  acknowledge(current: D, done: ReadonlySet<string>, effects: readonly E[]): D;
  /** The document as later messages of this batch should see it once `effect` happened. */
  preview(doc: D, effect: E): D;
}

export interface OutboxOptions {
  readonly store: DocumentStore;
  readonly logger: Logger;
  /** This instance's name on outbox leases (the repositories stamp it on their writes). */
  readonly instanceId: string;
  /** How long the repositories' leases last (OUTBOX_LEASE_MS by default); a lease in its last sixth is renewed. */
  readonly leaseMs?: number;
  /** First retry delay; doubles per failure up to maxDelayMs. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** A message refused as a client error (4xx) this many times is dropped and logged. */
  readonly maxClientErrorAttempts?: number;
  readonly sweepIntervalMs?: number;
  /**
   * Called right after a message was delivered (Teams accepted it) and before it is acknowledged:
   * the window a crash test aims at (test/instances/bot-entry.ts LENDOS_TEST_KILL_AFTER_DELIVERY).
   */
  readonly onDelivered?: (kind: string, message: QueuedMessage) => void;
  /**
   * How long a delivered message's acknowledgement may wait to ride on the next write of its
   * document (FOLD_MS by default; at most a third of the lease).
   */
  readonly foldMs?: number;
}

export type KickMode = 'own' | 'sweep' | 'retry';

/**
 * How long an acknowledgement waits for the next write of its document before it is written alone:
 * a command that follows within it (the next lead approving) carries it for free.
 */
export const FOLD_MS = 1_000;

/**
 * How long a command waits at most for its document's delivery in flight (a reply to Teams takes
 * 100–300 ms) before it writes without that delivery's acknowledgements.
 */
export const DELIVERY_WAIT_MS = 250;

/** How long an instance's claim on a document's outbox lasts; renewed by each write it makes. */
export const OUTBOX_LEASE_MS = 30_000;

// Workers are heterogeneous (release vs. environment documents); the dispatcher only moves them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyWorker = OutboxWorker<any, any, any>;

/**
 * Delivers each document's pending messages in order and acknowledges each as soon as it is
 * delivered (one conditional write; only repeatable messages such as card updates wait for the
 * next acknowledgement). A message is removed only after it was delivered, so a crash or an outage
 * loses nothing, and a crash repeats at most the message that was in flight.
 */
export class OutboxDispatcher {
  private readonly workers = new Map<string, AnyWorker>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Map<string, KickMode>();
  private readonly attempts = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly flushes = new Map<string, NodeJS.Timeout>();
  /** Deliveries held back by the rate limits (DeliveryDeferred), with their document ("kind:name"): each kicks it again when it resolves. */
  private readonly deferrals = new Map<Promise<void>, string>();
  /**
   * Documents whose fold time ended while one of their deliveries was under way or held back, with
   * when: their waiting acknowledgements are written once that delivery is done, in one write with
   * its own (or at the next fold time, whichever comes first).
   */
  private readonly flushDue = new Map<string, number>();
  private sweepTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: OutboxOptions) {}

  register(kind: string, worker: AnyWorker): void {
    this.workers.set(kind, worker);
  }

  /**
   * Deliver what the document has pending, now (or right after the delivery already running).
   * 'own': this instance just wrote the messages (and holds the lease); 'sweep' and 'retry' read
   * the document afresh and take the lease first, unless another instance holds it.
   */
  kick(kind: string, name: string, mode: KickMode = 'own'): void {
    if (this.stopped) return;
    const key = `${kind}:${name}`;
    if (this.running.has(key)) {
      this.again.set(key, this.again.get(key) === 'own' || !this.again.has(key) ? mode : this.again.get(key)!);
      return;
    }
    const run = this.deliver(kind, name, mode)
      .catch((error) => this.options.logger.error({ outbox: key, ...errorFields(error) }, 'outbox delivery failed'))
      .finally(() => {
        this.running.delete(key);
        const next = this.again.get(key);
        if (next) {
          this.again.delete(key);
          this.kick(kind, name, next);
        }
      });
    this.running.set(key, run);
  }

  /** Picks up whatever earlier runs (or other instances) left pending, now and periodically. */
  async start(): Promise<void> {
    await this.sweep();
    this.sweepTimer = setInterval(() => void this.sweep(), this.options.sweepIntervalMs ?? 30_000);
    this.sweepTimer.unref();
  }

  /**
   * Resolves once the delivery of this document running now has ended, or after `maxWaitMs`
   * (DELIVERY_WAIT_MS): a command that waits for it carries its acknowledgements in its own write.
   */
  async settled(kind: string, name: string, maxWaitMs = DELIVERY_WAIT_MS): Promise<void> {
    const run = this.running.get(`${kind}:${name}`);
    if (!run) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([run, new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)))]);
    clearTimeout(timer);
  }

  /**
   * Resolves once nothing is being delivered and no delivery held back by the rate limits is
   * waiting (retries of failures, scheduled for later, do not count).
   */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.deferrals.size > 0) await Promise.all([...this.running.values(), ...this.deferrals.keys()]);
  }

  /** How many documents are being delivered right now. */
  get delivering(): number {
    return this.running.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.deferrals.clear();
    await this.idle();
    // What was delivered is acknowledged before the process goes: a graceful stop repeats nothing.
    await this.flushWaiting();
  }

  /** Writes now every acknowledgement still waiting to ride on a later write. */
  async flushWaiting(): Promise<void> {
    for (const timer of this.flushes.values()) clearTimeout(timer);
    this.flushes.clear();
    for (const [kind, worker] of this.workers) {
      for (const name of worker.repository.waitingNames()) await this.flush(kind, name);
    }
  }

  private async sweep(): Promise<void> {
    try {
      const pending = await this.options.store.listPendingOutbox();
      for (const { pk, id } of pending) {
        for (const [kind, worker] of this.workers) {
          const name = worker.nameOf(pk, id);
          if (name !== undefined) this.kick(kind, name, 'sweep');
        }
      }
    } catch (error) {
      this.options.logger.warn(errorFields(error), 'outbox sweep failed');
    }
  }

  private async deliver(kind: string, name: string, mode: KickMode): Promise<void> {
    const worker = this.workers.get(kind);
    if (!worker) throw new Error(`no outbox worker for ${kind}`);
    // A sweep finding a document this instance is delivering under its own live lease needs no read.
    const cached = mode === 'sweep' ? await worker.repository.get(name) : undefined;
    const ownLease = cached?.outboxLease?.owner === this.options.instanceId && Date.parse(cached.outboxLease.until) > Date.now();
    let doc = ownLease ? cached : await worker.repository.get(name, mode !== 'own');
    if (!doc || doc.outbox.length === 0) return;
    const lease = doc.outboxLease;
    const now = Date.now();
    if (lease && lease.owner !== this.options.instanceId && Date.parse(lease.until) > now) return; // another instance delivers
    const margin = (this.options.leaseMs ?? OUTBOX_LEASE_MS) / 6;
    if (!lease || lease.owner !== this.options.instanceId || Date.parse(lease.until) - now < margin) {
      // take (or renew) the lease in one conditional write before delivering anything
      doc = await worker.repository.mutate(name, (current) => (current && current.outbox.length > 0 ? { write: current, result: current } : { result: current }));
      if (!doc || doc.outbox.length === 0) return;
    }
    const done = new Set<string>();
    const deferred = new Set<string>();
    let effects: unknown[] = [];
    let failed = false;
    const { repository } = worker;
    for (const message of doc.outbox as QueuedMessage[]) {
      const attemptKey = `${kind}:${name}:${message.id}`;
      try {
        // At most one post is delivered and not yet acknowledged: the one before must be recorded
        // before another post goes out, so a crash repeats at most that one. A repeatable message
        // (a card update showing the card as it is, an index write) may go out meanwhile: repeated
        // after a crash, it changes nothing anyone sees, so the post's acknowledgement keeps
        // waiting to ride on the next write.
        if (!worker.repeatable?.(message) && repository.waiting(name, true)) await repository.flush(name);
        const effect = await worker.deliver(message, doc);
        this.options.onDelivered?.(kind, message);
        this.attempts.delete(attemptKey);
        if (effect !== undefined) {
          effects.push(effect);
          doc = worker.preview(doc, effect);
        }
        if (effect !== undefined || worker.acknowledgeAtOnce(message)) {
          done.add(message.id);
          await this.acknowledge(worker, name, done, effects);
          done.clear();
          effects = [];
        } else {
          // The acknowledgement rides on this instance's next write of the document — the next
          // command's, or the flush below — instead of a write of its own (README "Store cost").
          const ids = new Set([message.id]);
          repository.fold(name, (current: OutboxDocument<QueuedMessage>) => worker.acknowledge(current, ids, []), !worker.repeatable?.(message));
        }
      } catch (error) {
        if (error instanceof DeliveryDeferred) {
          this.deferUntil(kind, name, error.until);
          if (worker.repeatable?.(message)) {
            // Coalescing: what follows goes first; this one is tried again, newest, when the time comes.
            deferred.add(message.id);
            continue;
          }
          this.options.logger.debug?.({ outbox: attemptKey, kind: message.kind, forMs: Math.ceil(error.forMs) }, 'outbound message held back by the rate limits');
          failed = true; // not a failure: nothing after it goes before it
          break;
        }
        if (this.giveUp(attemptKey, message, error)) {
          const ids = new Set([message.id]);
          repository.fold(name, (current: OutboxDocument<QueuedMessage>) => worker.acknowledge(current, ids, []), false);
          continue;
        }
        failed = true;
        this.retryLater(kind, name, attemptKey);
        break;
      }
    }
    const key = `${kind}:${name}`;
    if (!failed && (await repository.get(name))?.outbox.some((m: QueuedMessage) => !deferred.has(m.id))) this.again.set(key, this.again.get(key) ?? 'own');
    // Acknowledgements whose fold time is over are written now, unless more of this document is
    // about to go out (held back, or a run to follow): then with what that run delivers.
    if (!repository.waiting(name)) this.flushDue.delete(key);
    else if (this.flushDue.has(key) && !this.heldBack(key) && !this.again.has(key)) {
      this.flushDue.delete(key);
      await this.flush(kind, name);
    } else this.flushLater(kind, name);
  }

  /**
   * Writes the acknowledgements still waiting for a write of the document once `foldMs` passed
   * without one: the crash window of the post they acknowledge is bounded by it.
   */
  private flushLater(kind: string, name: string): void {
    const key = `${kind}:${name}`;
    if (this.flushes.has(key) || this.stopped) return;
    const timer = setTimeout(() => {
      this.flushes.delete(key);
      // A delivery of this document under way, or a card update held back to be coalesced, is done
      // in a moment: one write then carries its acknowledgement and the waiting ones, instead of one
      // write now and another after it. Not past a second fold time, so a card held back again and
      // again cannot stretch the window.
      const dueSince = this.flushDue.get(key) ?? Date.now();
      if ((this.heldBack(key) || this.running.has(key)) && Date.now() - dueSince < this.foldMs()) this.flushDue.set(key, dueSince);
      else {
        this.flushDue.delete(key);
        void this.flush(kind, name);
      }
    }, this.foldMs());
    timer.unref();
    this.flushes.set(key, timer);
  }

  private async flush(kind: string, name: string): Promise<void> {
    const worker = this.workers.get(kind);
    if (!worker) return;
    try {
      await worker.repository.flush(name);
      // Another instance may have queued messages under this instance's lease meanwhile.
      if ((await worker.repository.get(name))?.outbox.length) this.kick(kind, name, 'own');
    } catch (error) {
      this.options.logger.warn({ outbox: `${kind}:${name}`, ...errorFields(error) }, 'outbox acknowledgement failed; will retry');
      this.flushLater(kind, name);
    }
  }

  /** How long an acknowledgement may wait for the next write: well inside the lease, so no other instance takes over meanwhile. */
  private foldMs(): number {
    return Math.min(this.options.foldMs ?? FOLD_MS, (this.options.leaseMs ?? OUTBOX_LEASE_MS) / 3);
  }

  private deferUntil(kind: string, name: string, until: Promise<void>): void {
    const wake: Promise<void> = until.then(() => {
      if (!this.deferrals.has(wake)) return; // stopped meanwhile
      this.deferrals.delete(wake);
      this.kick(kind, name, 'own');
    });
    this.deferrals.set(wake, `${kind}:${name}`);
  }

  /** Whether a delivery of this document ("kind:name") is held back by the rate limits now. */
  private heldBack(key: string): boolean {
    for (const held of this.deferrals.values()) if (held === key) return true;
    return false;
  }

  private async acknowledge(worker: AnyWorker, name: string, done: ReadonlySet<string>, effects: readonly unknown[]): Promise<void> {
    const doneNow = new Set(done);
    const effectsNow = [...effects];
    await worker.repository.mutate(name, (current) => (current ? { write: worker.acknowledge(current, doneNow, effectsNow), result: undefined } : { result: undefined }));
  }

  private giveUp(attemptKey: string, message: QueuedMessage, error: unknown): boolean {
    const status = (error as { statusCode?: number }).statusCode;
    const clientError = typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
    const attempts = (this.attempts.get(attemptKey) ?? 0) + 1;
    this.attempts.set(attemptKey, attempts);
    const fields = { outbox: attemptKey, kind: message.kind, attempts, ...errorFields(error) };
    if (clientError && attempts >= (this.options.maxClientErrorAttempts ?? 3)) {
      this.attempts.delete(attemptKey);
      this.options.logger.error(fields, 'an outbound message was refused as a client error; dropped it');
      return true;
    }
    this.options.logger.warn(fields, 'outbound message failed; will retry');
    return false;
  }

  private retryLater(kind: string, name: string, attemptKey: string): void {
    const attempts = this.attempts.get(attemptKey) ?? 1;
    const delay = Math.min((this.options.baseDelayMs ?? 500) * 2 ** (attempts - 1), this.options.maxDelayMs ?? 60_000);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.kick(kind, name, 'retry');
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
