import { apply, decide } from '../domain/release';
import { DeciderOf, ReminderPolicy, dueReminders, reminderEvents, unreachableEvent } from '../domain/reminders';
import { extendChain } from '../domain/event-chain';
import { DocumentStore } from '../store/document-store';
import { Actor, DeploymentDirectory, Directory, Outcome, ReleaseCommand, ReleaseEvent, ReleaseState, Refusal } from '../domain/types';
import {
  ChannelTarget,
  ConversationTarget,
  EVENTS_KEPT,
  HISTORY_CHUNK,
  RECENT_ACTIVITY_LIMIT,
  ReleaseDocument,
  ReleaseHistoryDocument,
  ThreadRef,
  releaseHistoryKey,
  releaseKey,
} from './documents';
import { planMessages } from './release-messages';
import { DeputyService } from './deputy-service';
import { DocumentRepository, MutationCost } from './document-repository';

export interface ReleaseCommandRequest {
  readonly version: string;
  readonly command: ReleaseCommand;
  readonly actor: Actor;
  /** Teams activity id (or `github:<delivery id>`): the same activity delivered twice is applied once. */
  readonly activityId: string;
  /** Where the command was typed, acknowledged there; absent for a cut from a GitHub webhook. */
  readonly origin?: ConversationTarget;
  readonly engineering?: ChannelTarget;
  readonly now: Date;
}

export type ReleaseCommandResult =
  | { readonly kind: 'accepted'; readonly state: ReleaseState; readonly events: readonly ReleaseEvent[] }
  | { readonly kind: 'refused'; readonly refusal: Refusal; readonly state?: ReleaseState }
  | { readonly kind: 'duplicate'; readonly state?: ReleaseState };

/** The use case behind every release command: decide, record, and queue what to post — in one write. */
export class ReleaseService {
  constructor(
    private readonly store: DocumentStore,
    private readonly releases: DocumentRepository<ReleaseDocument>,
    private readonly directory: Directory,
    /** IANA zone times in refusals are shown in, as on the cards. */
    private readonly timeZone: string,
    private readonly onOutboxWritten: (version: string) => void,
    private readonly onCost: (request: ReleaseCommandRequest, cost: MutationCost) => void = () => undefined,
    /** Promotion also creates the final release on GitHub (through the outbox). */
    private readonly publishOnPromotion = false,
    /** Who stands in for away leads (app/deputy-service.ts); without it only leads decide. */
    private readonly deputies?: Pick<DeputyService, 'directoryAt'>,
  ) {}

  // Reads for answers (status, history, a click's checks) are fresh: the cache only spares reads on
  // the write path, where the ETag catches a copy another instance has changed since.
  state(version: string): Promise<ReleaseState | undefined> {
    return this.releases.get(version, true).then((doc) => doc?.state);
  }

  /** The root post of an RC's thread as this instance knows it (no read when the release is warm). */
  async threadOf(version: string, rc: number): Promise<ThreadRef | undefined> {
    return (await this.releases.get(version))?.threads[rc];
  }

  document(version: string): Promise<ReleaseDocument | undefined> {
    return this.releases.get(version, true);
  }

  async execute(request: ReleaseCommandRequest): Promise<ReleaseCommandResult> {
    if (request.command.type === 'cutRc' && !request.engineering) {
      return { kind: 'refused', refusal: ENGINEERING_NOT_REGISTERED };
    }
    const directory = this.deputies ? await this.deputies.directoryAt(this.directory, request.now) : this.directory;
    const first = await this.run(request, directory);
    // A deputy named on another instance may not have reached this one's copy yet: ask once more on a fresh one.
    const { type } = request.command;
    if (!this.deputies || first.kind !== 'refused' || first.refusal.code !== 'not-allowed' || !(type === 'approve' || type === 'reject' || type === 'revoke')) return first;
    // A deputy is a configured person: a stranger's refusal stands without another read.
    const known = (this.directory as Partial<DeploymentDirectory>).isKnown;
    if (known && !known(request.actor.id)) return first;
    return this.run(request, await this.deputies.directoryAt(this.directory, request.now, true));
  }

  private async run(request: ReleaseCommandRequest, directory: Directory): Promise<ReleaseCommandResult> {
    const { result, cost } = await this.releases.mutateCounted<ReleaseCommandResult>(request.version, (current) => {
      if (current?.recentActivityIds.includes(request.activityId)) return { result: { kind: 'duplicate', state: current.state } };
      const outcome: Outcome = decide(current?.state, request.command, request.actor, request.now, directory, request.version, this.timeZone);
      if (outcome.kind === 'refusal') return { result: { kind: 'refused', refusal: outcome, state: current?.state } };
      const { write, createFirst } = this.nextDocument(current, outcome.state, outcome.events, request);
      return { write, createFirst, result: { kind: 'accepted', state: outcome.state, events: outcome.events } };
    }, { afterDelivery: true });
    if (result.kind === 'accepted') this.onOutboxWritten(request.version);
    this.onCost(request, cost);
    return result;
  }

  /**
   * Records the reminders due at `now` on the release (domain/reminders.ts) and queues them, in one
   * conditional write; a write that loses to another instance's re-reads, finds them recorded and
   * writes nothing. Resolves with how many were recorded.
   */
  async recordReminders(version: string, now: Date, policy: ReminderPolicy, deciderOf?: DeciderOf): Promise<number> {
    const recorded = await this.releases.mutate<number>(version, (current) => {
      if (!current) return { result: 0 };
      const due = dueReminders(current.state, this.directory, policy, now, deciderOf);
      if (due.length === 0) return { result: 0 };
      return { ...this.botEvents(current, reminderEvents(due, now)), result: due.length };
    });
    if (recorded > 0) this.onOutboxWritten(version);
    return recorded;
  }

  /** Teams refused a lead's personal reminder: recorded once per lead and RC, which tells Platform in the thread. */
  async recordUnreachable(version: string, reminder: { rc: number; area: string; person: string }, reason: string, now: Date): Promise<void> {
    const recorded = await this.releases.mutate<boolean>(version, (current) => {
      const event = current && unreachableEvent(current.state, reminder, reason, now);
      if (!current || !event) return { result: false };
      return { ...this.botEvents(current, [event]), result: true };
    });
    if (recorded) this.onOutboxWritten(version);
  }

  private botEvents(current: ReleaseDocument, events: readonly ReleaseEvent[]): { write: ReleaseDocument; createFirst?: ReleaseHistoryDocument } {
    const state = events.reduce(apply, current.state);
    return this.nextDocument(current, state, events, { version: current.state.version });
  }

  private nextDocument(
    current: ReleaseDocument | undefined,
    state: ReleaseState,
    events: readonly ReleaseEvent[],
    request: Pick<ReleaseCommandRequest, 'version' | 'origin' | 'engineering'> & { readonly activityId?: string },
  ): { write: ReleaseDocument; createFirst?: ReleaseHistoryDocument } {
    let seq = current?.messageSeq ?? 0;
    const messages = planMessages({
      events,
      state,
      directory: this.directory,
      origin: request.origin,
      originIsRcThread: (rc) => current?.threads[rc]?.conversationId === request.origin?.conversationId,
      engineering: request.engineering,
      publishOnPromotion: this.publishOnPromotion,
      nextId: () => `m${(seq += 1)}`,
    });
    const allEvents = [...(current?.events ?? []), ...events];
    const archivedChunks = current?.archivedChunks ?? 0;
    const archive = allEvents.length > EVENTS_KEPT;
    const write: ReleaseDocument = {
      ...releaseKey(request.version),
      type: 'release',
      state,
      events: archive ? allEvents.slice(HISTORY_CHUNK) : allEvents,
      outbox: [...(current?.outbox ?? []), ...messages],
      threads: current?.threads ?? {},
      recentActivityIds:
        request.activityId === undefined
          ? (current?.recentActivityIds ?? [])
          : [...(current?.recentActivityIds ?? []), request.activityId].slice(-RECENT_ACTIVITY_LIMIT),
      messageSeq: seq,
      archivedChunks: archive ? archivedChunks + 1 : archivedChunks,
      // A document written before chains existed stays unanchored rather than anchored half-way.
      ...(current && !current.chain ? {} : { chain: extendChain(current?.chain, request.version, events) }),
    };
    if (!archive) return { write };
    const createFirst: ReleaseHistoryDocument = {
      ...releaseHistoryKey(request.version, archivedChunks),
      type: 'releaseHistory',
      chunk: archivedChunks,
      events: allEvents.slice(0, HISTORY_CHUNK),
    };
    return { write, createFirst };
  }

  /** Every event of the release, oldest first: the archived chunks, then the document's own. */
  async history(version: string): Promise<ReleaseEvent[] | undefined> {
    const doc = await this.releases.get(version, true);
    return doc ? this.historyOf(doc) : undefined;
  }

  /** Every event of this copy of the document: the chunks it names (written once, never changed), then its own. */
  async historyOf(doc: ReleaseDocument): Promise<ReleaseEvent[]> {
    const version = doc.state.version;
    const chunks = await Promise.all(
      Array.from({ length: doc.archivedChunks ?? 0 }, (_, chunk) => {
        const { pk, id } = releaseHistoryKey(version, chunk);
        return this.store.read<ReleaseHistoryDocument>(pk, id);
      }),
    );
    return [...chunks.flatMap((chunk) => chunk?.doc.events ?? []), ...doc.events];
  }
}

const ENGINEERING_NOT_REGISTERED: Refusal = {
  kind: 'refusal',
  code: 'channel-not-registered',
  reason: "#engineering isn't registered yet, so there is nowhere to start the release thread.",
  hint: 'In the #engineering channel, type `@lendos register engineering`, then cut the RC again.',
};
