import { FreezeCommand, FreezeEvent, decideFreeze, freezeConfirmation, freezeEventsToDrop } from '../domain/declared-freezes';
import { appendTrimmed } from '../domain/trimmed-chain';
import { Freeze } from '../domain/freezes';
import { isRefusal } from '../domain/rule-helpers';
import { Actor, DeploymentDirectory, EnvironmentRef, Refusal } from '../domain/types';
import { DocumentRepository } from './document-repository';
import { ConversationTarget, EnvironmentDocument, FREEZE_EVENTS_KEPT, RECENT_ACTIVITY_LIMIT, holdStreamId } from './documents';
import { emptyEnvironment } from './deployment-service';

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
  constructor(private readonly options: FreezeServiceOptions) {}

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
    const result = await this.options.environments.mutate<FreezeResult>(key, (current) => {
      const doc = current ?? emptyEnvironment(ref);
      if (doc.recentActivityIds.includes(request.activityId)) return { result: { kind: 'duplicate', environment: ref } };
      const seq = (doc.freezeSeq ?? 0) + 1;
      const command: FreezeCommand = request.command.type === 'freeze' ? { ...request.command, id: `f${seq}` } : request.command;
      const context = {
        actor: request.actor,
        now: request.now,
        directory,
        environment: ref,
        timeZone,
        configured: this.options.configured,
        deployments: doc.deployments.map((d) => d.state),
      };
      const decided = decideFreeze(command, doc.freezeEvents, context);
      if (isRefusal(decided)) return { result: { kind: 'refused', environment: ref, refusal: decided } };
      const messageSeq = doc.messageSeq + 1;
      const record = appendTrimmed(holdStreamId(key, 'freezes'), doc.freezeChain, doc.freezeEvents ?? [], decided, (all) =>
        freezeEventsToDrop(all, request.now, FREEZE_EVENTS_KEPT),
      );
      const write: EnvironmentDocument = {
        ...doc,
        freezeEvents: record.events,
        freezeChain: record.chain,
        freezeSeq: command.type === 'freeze' ? seq : doc.freezeSeq ?? 0,
        outbox: [...doc.outbox, { id: `m${messageSeq}`, kind: 'reply', to: request.origin, text: freezeConfirmation(decided, ref, context) }],
        recentActivityIds: [...doc.recentActivityIds, request.activityId].slice(-RECENT_ACTIVITY_LIMIT),
        messageSeq,
      };
      return { write, result: { kind: 'accepted', environment: ref, events: decided } };
    });
    if (result.kind === 'accepted') this.options.onOutboxWritten(key);
    return result;
  }
}
