import { emptyRelease, evolve, releaseDecider } from '../domain/release';
import { Decider } from '../domain/decider';
import { ReminderPolicy, dueReminders, reminderEvents, unreachableEvent } from '../domain/reminders';
import { DocumentStore } from '../store/document-store';
import { Actor, DeploymentDirectory, Directory, ReleaseCommand, ReleaseEvent, ReleaseState, Refusal } from '../domain/types';
import {
  ChannelTarget,
  ConversationTarget,
  HISTORY_CHUNK,
  RELEASE_INDEX_ID,
  ReleaseDocument,
  ReleaseHistoryDocument,
  ReleaseIndexDocument,
  ReleaseIndexEntry,
  ReleaseOutboxMessage,
  SETTINGS_PARTITION,
  ThreadRef,
  releaseHistoryKey,
} from './documents';
import { planMessages } from './release-messages';
import { DeputyService } from './deputy-service';
import { DeputyCover, withDeputies } from '../domain/deputies';
import { DocumentRepository, MutationCost } from './document-repository';
import { CommandPlan, CommandRunner } from './command-runner';
import { recordReleaseEvents } from './release-records';

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
    onOutboxWritten: (version: string) => void,
    private readonly onCost: (request: ReleaseCommandRequest, cost: MutationCost) => void = () => undefined,
    /** Promotion also creates the final release on GitHub (through the outbox). */
    private readonly publishOnPromotion = false,
    /** Who stands in for away leads (app/deputy-service.ts); without it only leads decide. */
    private readonly deputies?: Pick<DeputyService, 'coversAt'>,
  ) {
    this.runner = new CommandRunner(releases, onOutboxWritten);
  }

  private readonly runner: CommandRunner<ReleaseDocument, ReleaseOutboxMessage>;

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
    const first = await this.run(request, await this.coversAt(request.now));
    // A deputy named on another instance may not have reached this one's copy yet: ask once more on a fresh one.
    const { type } = request.command;
    if (!this.deputies || first.kind !== 'refused' || first.refusal.code !== 'not-allowed' || !(type === 'approve' || type === 'reject' || type === 'revoke')) return first;
    // A deputy is a configured person: a stranger's refusal stands without another read.
    const known = (this.directory as Partial<DeploymentDirectory>).isKnown;
    if (known && !known(request.actor.id)) return first;
    return this.run(request, await this.coversAt(request.now, true));
  }

  /** Who stands in for away leads at `now` (none without deputies), from this instance's copy or, with `fresh`, the store. */
  private async coversAt(now: Date, fresh = false): Promise<readonly DeputyCover[]> {
    return this.deputies ? this.deputies.coversAt(now, fresh) : [];
  }

  private async run(request: ReleaseCommandRequest, covers: readonly DeputyCover[]): Promise<ReleaseCommandResult> {
    const directory = withDeputies(this.directory, covers);
    const context = { actor: request.actor, now: request.now, directory, version: request.version, timeZone: this.timeZone };
    // Posts @mention whoever decides an area now: its lead, or the deputy standing in.
    const plan = this.plan({ ...request, directory }, releaseDecider, request.command, context);
    const { result, cost } = await this.runner.run(request.version, request.activityId, plan);
    this.onCost(request, cost);
    return result.kind === 'unchanged' ? { kind: 'accepted', state: result.state, events: [] } : result;
  }

  /**
   * Records the reminders due at `now` on the release (domain/reminders.ts) and queues them, in one
   * conditional write; a write that loses to another instance's re-reads, finds them recorded and
   * writes nothing. Resolves with how many were recorded.
   */
  async recordReminders(version: string, now: Date, policy: ReminderPolicy, directory: Directory = this.directory): Promise<number> {
    const reminders: Decider<'remind', ReleaseState, ReleaseEvent, Date> = {
      decide: (_command, state, at) => reminderEvents(dueReminders(state, directory, policy, at), at),
      evolve,
    };
    const { result } = await this.runner.run(version, undefined, this.plan({ version }, reminders, 'remind', now, true));
    return result.kind === 'accepted' ? result.events.length : 0;
  }

  /** Teams refused a lead's personal reminder: recorded once per lead and RC, which tells Platform in the thread. */
  async recordUnreachable(version: string, reminder: { rc: number; area: string; person: string }, reason: string, now: Date): Promise<void> {
    const unreachable: Decider<'unreachable', ReleaseState, ReleaseEvent, Date> = {
      decide: (_command, state, at) => {
        const event = unreachableEvent(state, reminder, reason, at);
        return event ? [event] : [];
      },
      evolve,
    };
    await this.runner.run(version, undefined, this.plan({ version }, unreachable, 'unreachable', now, true));
  }

  /**
   * A command against the release document: its state (an empty release before the first cut), its
   * events appended (the oldest moved out in chunks), and the messages they cause. `existing`: the
   * bot's own commands apply only to a release that exists.
   */
  private plan<C, X>(
    request: Pick<ReleaseCommandRequest, 'version' | 'origin' | 'engineering'> & { readonly directory?: Directory },
    decider: Decider<C, ReleaseState, ReleaseEvent, X>,
    command: C,
    context: X,
    existing = false,
  ): CommandPlan<ReleaseDocument, ReleaseOutboxMessage, C, ReleaseState, ReleaseEvent, X> {
    return {
      decider,
      command,
      select: (doc) => (existing && !doc ? { refusal: NO_SUCH_RELEASE } : { state: doc?.state ?? emptyRelease(request.version), context }),
      record: (doc, state, events) => recordReleaseEvents(doc, request.version, state, events),
      messages: ({ before, state, events, nextId }) =>
        planMessages({
          events,
          state,
          directory: request.directory ?? this.directory,
          origin: request.origin,
          originIsRcThread: (rc) => before?.threads[rc]?.conversationId === request.origin?.conversationId,
          engineering: request.engineering,
          publishOnPromotion: this.publishOnPromotion,
          nextId,
        }),
    };
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

  /**
   * Events `from` … `to` − 1 of this copy of the document, oldest first: from only the archived
   * chunks they are in, then the document's own, so a page costs the same at any length of history.
   */
  async eventsBetween(doc: ReleaseDocument, from: number, to: number): Promise<ReleaseEvent[]> {
    const version = doc.state.version;
    const archived = (doc.archivedChunks ?? 0) * HISTORY_CHUNK;
    const chunks: number[] = [];
    for (let chunk = Math.floor(from / HISTORY_CHUNK); chunk * HISTORY_CHUNK < Math.min(to, archived); chunk += 1) chunks.push(chunk);
    const fromChunks = await Promise.all(
      chunks.map(async (chunk) => {
        const { pk, id } = releaseHistoryKey(version, chunk);
        const events = (await this.store.read<ReleaseHistoryDocument>(pk, id))?.doc.events ?? [];
        // chunk n holds events n × HISTORY_CHUNK onwards
        const start = chunk * HISTORY_CHUNK;
        return events.slice(Math.max(0, from - start), Math.max(0, Math.min(to, archived) - start));
      }),
    );
    return [...fromChunks.flat(), ...doc.events.slice(Math.max(0, from - archived), Math.max(0, to - archived))];
  }

  /** The releases of the index: the latest 50, the most recently changed first. */
  async releaseIndex(): Promise<readonly ReleaseIndexEntry[]> {
    return (await this.store.read<ReleaseIndexDocument>(SETTINGS_PARTITION, RELEASE_INDEX_ID))?.doc.releases ?? [];
  }
}

/** The bot's own commands (reminders) never create a release. */
const NO_SUCH_RELEASE: Refusal = { kind: 'refusal', code: 'no-release', reason: 'There is no such release.' };

const ENGINEERING_NOT_REGISTERED: Refusal = {
  kind: 'refusal',
  code: 'channel-not-registered',
  reason: "#engineering isn't registered yet, so there is nowhere to start the release thread.",
  hint: 'In the #engineering channel, type `@lendos register engineering`, then cut the RC again.',
};
