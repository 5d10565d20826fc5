import { Decider } from '../domain/decider';
import { isRefusal } from '../domain/rule-helpers';
import { Refusal } from '../domain/types';
import { StoredDocument } from '../store/document-store';
import { RECENT_ACTIVITY_LIMIT } from './documents';
import { DocumentRepository, MutationCost, MutationStep } from './document-repository';
import { QueuedMessage } from './outbox';

// The one way anything changes a document, whatever its kind (release, environment, deputies):
//
//   1. idempotency: an activity the document has applied already changes nothing;
//   2. decide: the state machine's decide(command, state, context) -> events | refusal;
//   3. evolve: the events folded into the state (events.reduce(evolve, state));
//   4. record: the events appended to the document's stream, with the new state next to them (the
//      kind trims or archives old events here, and extends the hash chain);
//   5. plan: the messages the events cause, into the document's outbox;
//   6. one conditional write of all of it (DocumentRepository: a lost race decides again afresh).
//
// People's commands, the bot's own (reminders) and what delivery learned (a thread's root post, a
// meeting, a GitHub issue) all go through it, so a stored state is always the fold of the stored
// events. `applyCommand` is the pure part; CommandRunner adds the write.

/** A document the runner can change: the activities applied, and an outbox when its commands post. */
export interface RunnableDocument<M extends QueuedMessage = QueuedMessage> extends StoredDocument {
  readonly outbox?: readonly M[];
  readonly messageSeq?: number;
  readonly recentActivityIds: readonly string[];
}

/** One command against one document: how to find its state and where its events land. */
export interface CommandPlan<D extends RunnableDocument<M>, M extends QueuedMessage, C, S, E, X> {
  readonly decider: Decider<C, S, E, X>;
  /** The command, or how to make it from the document (a new deployment's id comes from its sequence). */
  readonly command: C | ((doc: D | undefined) => C);
  /**
   * The state the command is decided on and the context it is decided in, read off the document
   * (undefined: none written yet); a refusal when the document has no such stream (an unknown
   * deployment), with the state to show beside it.
   */
  select(doc: D | undefined): { readonly state: S; readonly context: X } | { readonly refusal: Refusal; readonly state?: S };
  /** The document with the events appended to the state's stream and the new state beside them. */
  record(doc: D | undefined, state: S, events: readonly E[]): Recorded<D>;
  /** The messages the events cause, ids from `nextId`; none when omitted. */
  messages?(input: { readonly before: D | undefined; readonly after: D; readonly state: S; readonly events: readonly E[]; readonly nextId: () => string }): readonly M[];
}

export interface Recorded<D> {
  readonly doc: D;
  /** Older events moved out of `doc`, created just before it (DocumentRepository's createFirst). */
  readonly archived?: StoredDocument;
}

export type RunResult<S, E> =
  | { readonly kind: 'accepted'; readonly state: S; readonly events: readonly E[] }
  | { readonly kind: 'refused'; readonly refusal: Refusal; readonly state?: S }
  | { readonly kind: 'duplicate'; readonly state?: S }
  /** Accepted with no events (nothing was due): nothing written. */
  | { readonly kind: 'unchanged'; readonly state: S };

/**
 * Decides `plan.command` on `current` and says what to write: the pure heart of the runner, used
 * by `CommandRunner.run` inside its conditional write and by the outbox when it records what a
 * delivery learned. `activityId`: the Teams activity (or webhook delivery) the command came from;
 * undefined for the bot's own commands.
 */
export function applyCommand<D extends RunnableDocument<M>, M extends QueuedMessage, C, S, E, X>(
  current: D | undefined,
  activityId: string | undefined,
  plan: CommandPlan<D, M, C, S, E, X>,
): MutationStep<D, RunResult<S, E>> {
  const selected = plan.select(current);
  if (activityId !== undefined && current?.recentActivityIds.includes(activityId)) return { result: { kind: 'duplicate', state: selected.state } };
  if ('refusal' in selected) return { result: { kind: 'refused', refusal: selected.refusal, state: selected.state } };
  const { state, context } = selected;
  const command = typeof plan.command === 'function' ? (plan.command as (doc: D | undefined) => C)(current) : plan.command;
  const events = plan.decider.decide(command, state, context);
  if (isRefusal(events)) return { result: { kind: 'refused', refusal: events, state } };
  if (events.length === 0) return { result: { kind: 'unchanged', state } };
  const next = events.reduce(plan.decider.evolve, state);
  const { doc, archived } = plan.record(current, next, events);
  let seq = current?.messageSeq ?? doc.messageSeq ?? 0;
  const messages = plan.messages?.({ before: current, after: doc, state: next, events, nextId: () => `m${(seq += 1)}` }) ?? [];
  const write: D = {
    ...doc,
    ...(plan.messages ? { outbox: [...(current?.outbox ?? []), ...messages], messageSeq: seq } : {}),
    recentActivityIds:
      activityId === undefined ? (current?.recentActivityIds ?? []) : [...(current?.recentActivityIds ?? []), activityId].slice(-RECENT_ACTIVITY_LIMIT),
  };
  return { write, ...(archived ? { createFirst: archived } : {}), result: { kind: 'accepted', state: next, events } };
}

/** Runs commands against one kind of document: `applyCommand` in one conditional write, then the outbox. */
export class CommandRunner<D extends RunnableDocument<M>, M extends QueuedMessage> {
  constructor(
    private readonly repository: DocumentRepository<D>,
    /** Messages were written for the document: deliver them (OutboxDispatcher.kick). */
    private readonly onOutboxWritten: (name: string) => void,
  ) {}

  async run<C, S, E, X>(name: string, activityId: string | undefined, plan: CommandPlan<D, M, C, S, E, X>): Promise<{ result: RunResult<S, E>; cost: MutationCost }> {
    // A person's command first lets this document's delivery in flight end, so its write carries that
    // delivery's acknowledgements (README "Store cost"); the bot's own commands may run inside a delivery.
    const ran = await this.repository.mutateCounted<RunResult<S, E>>(name, (current) => applyCommand(current, activityId, plan), { afterDelivery: activityId !== undefined });
    if (ran.result.kind === 'accepted') this.onOutboxWritten(name);
    return ran;
  }
}
