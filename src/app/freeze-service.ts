import { FreezeCommand, FreezeEvent, freezeConfirmation, freezeDecider, freezeEventsToDrop } from '../domain/declared-freezes';
import { appendTrimmed } from '../domain/trimmed-chain';
import { Freeze } from '../domain/freezes';
import { Actor, DeploymentDirectory, EnvironmentRef, Refusal } from '../domain/types';
import { DocumentRepository } from './document-repository';
import { CommandRunner } from './command-runner';
import { ConversationTarget, DeploymentOutboxMessage, EnvironmentDocument, FREEZE_EVENTS_KEPT, holdStreamId } from './documents';
import { emptyEnvironment } from './environment-records';

// `freeze` / `unfreeze` typed in Teams: for each environment named, one conditional write of its
// document holding the freeze events and the confirmation in its outbox — the same write the
// deployment rules read, so a schedule decided after it sees the freeze, and a crash after the
// write still answers (a redelivery changes nothing: the activity id is on the document).

export interface FreezeServiceOptions {
  readonly environments: DocumentRepository<EnvironmentDocument>;
  readonly directory: DeploymentDirectory;
  readonly timeZone: string;
  /** The config's freezes. */
  readonly configured: readonly Freeze[];
  readonly configuredEnvironments: readonly EnvironmentRef[];
  readonly onOutboxWritten: (environment: string) => void;
}

/** A freeze command as typed: the service numbers each declaration on its environment's document. */
export type FreezeRequestCommand = Exclude<FreezeCommand, { type: 'freeze' }> | Omit<Extract<FreezeCommand, { type: 'freeze' }>, 'id'>;

export interface FreezeRequest {
  readonly environments: readonly string[];
  readonly command: FreezeRequestCommand;
  readonly actor: Actor;
  readonly activityId: string;
  readonly origin: ConversationTarget;
  readonly now: Date;
}

export type FreezeResult =
  | { readonly kind: 'accepted'; readonly environment: EnvironmentRef; readonly events: readonly FreezeEvent[] }
  | { readonly kind: 'refused'; readonly environment?: EnvironmentRef; readonly refusal: Refusal }
  | { readonly kind: 'duplicate'; readonly environment: EnvironmentRef };

export class FreezeService {
  private readonly runner: CommandRunner<EnvironmentDocument, DeploymentOutboxMessage>;

  constructor(private readonly options: FreezeServiceOptions) {
    this.runner = new CommandRunner(options.environments, options.onOutboxWritten);
  }

  /** One result per environment, in the order given; each environment is its own write. */
  async change(request: FreezeRequest): Promise<FreezeResult[]> {
    const results: FreezeResult[] = [];
    for (const key of request.environments) results.push(await this.changeOne(key, request));
    return results;
  }

  private async changeOne(key: string, request: FreezeRequest): Promise<FreezeResult> {
    const { directory, timeZone } = this.options;
    const ref = this.options.configuredEnvironments.find((e) => e.key === key);
    if (!ref) return { kind: 'refused', refusal: { kind: 'refusal', code: 'invalid-input', reason: `There is no environment "${key}".`, hint: 'status' } };
    const contextOf = (doc: EnvironmentDocument) => ({
      actor: request.actor,
      now: request.now,
      directory,
      environment: ref,
      timeZone,
      configured: this.options.configured,
      deployments: doc.deployments.map((d) => d.state),
    });
    const { result: ran } = await this.runner.run(key, request.activityId, {
      decider: freezeDecider,
      // A new freeze's id comes from the environment's freeze sequence.
      command: (current): FreezeCommand => (request.command.type === 'freeze' ? { ...request.command, id: `f${(current?.freezeSeq ?? 0) + 1}` } : request.command),
      select: (current) => {
        const doc = current ?? emptyEnvironment(ref);
        return { state: doc.freezeEvents, context: contextOf(doc) };
      },
      record: (current, _state, events) => {
        const doc = current ?? emptyEnvironment(ref);
        const record = appendTrimmed(holdStreamId(key, 'freezes'), doc.freezeChain, doc.freezeEvents ?? [], events, (all) =>
          freezeEventsToDrop(all, request.now, FREEZE_EVENTS_KEPT),
        );
        const declared = request.command.type === 'freeze';
        return { doc: { ...doc, freezeEvents: record.events, freezeChain: record.chain, freezeSeq: declared ? (doc.freezeSeq ?? 0) + 1 : doc.freezeSeq ?? 0 } };
      },
      messages: ({ before, events, nextId }) => [{ id: nextId(), kind: 'reply', to: request.origin, text: freezeConfirmation(events, ref, contextOf(before ?? emptyEnvironment(ref))) }],
    });
    const result: FreezeResult =
      ran.kind === 'accepted'
        ? { kind: 'accepted', environment: ref, events: ran.events }
        : ran.kind === 'refused'
          ? { kind: 'refused', environment: ref, refusal: ran.refusal }
          : { kind: 'duplicate', environment: ref };
    return result;
  }
}
