import { BusinessHours } from '../domain/business-hours';
import { Freeze, UPCOMING_FREEZE_DAYS, activeFreezes, describeFreeze, upcomingFreezes } from '../domain/freezes';
import { declaredFreezes, freezesOn } from '../domain/declared-freezes';
import { EnvironmentLock, LockCommand, LockEvent, describeLock, lockDecider, lockInForce } from '../domain/locks';
import { formatZoned } from '../domain/business-hours';
import { DeploymentFacts, deploymentDecider, overrunBy } from '../domain/deployment';
import { appendTrimmed } from '../domain/trimmed-chain';
import {
  Actor,
  DeploymentCommand,
  DeploymentDirectory,
  DeploymentEvent,
  DeploymentState,
  EnvironmentRef,
  Refusal,
  WindowInput,
} from '../domain/types';
import { DocumentRepository, MutationCost } from './document-repository';
import { CommandRunner } from './command-runner';
import { emptyEnvironment, recordDeploymentEvents } from './environment-records';

export { emptyEnvironment };
import {
  ChannelTarget,
  ConversationTarget,
  DeploymentOutboxMessage,
  DeploymentRecord,
  EnvironmentDocument,
  LOCK_EVENTS_KEPT,
  ReleaseDocument,
  holdStreamId,
} from './documents';
import { planDeploymentMessages } from './deployment-messages';
import { EnvironmentHolds, holdsOf } from './environment-holds';
import { OnCallProvider, lookUpOnCall } from './on-call';

export interface DeploymentServiceOptions {
  readonly environments: DocumentRepository<EnvironmentDocument>;
  readonly releases: DocumentRepository<ReleaseDocument>;
  readonly directory: DeploymentDirectory;
  readonly businessHours: BusinessHours;
  readonly timeZone: string;
  /** Freeze periods from the config. */
  readonly freezes?: readonly Freeze[];
  readonly configuredEnvironments: readonly EnvironmentRef[];
  readonly onCall: OnCallProvider;
  readonly bugTrackerConfigured: boolean;
  readonly onOutboxWritten: (environment: string) => void;
  readonly onCost?: (environment: string, command: string, cost: MutationCost) => void;
}

interface RequestBase {
  readonly actor: Actor;
  readonly activityId: string;
  readonly origin: ConversationTarget;
  readonly now: Date;
}

export interface ScheduleRequest extends RequestBase {
  readonly version: string;
  readonly environment: string;
  readonly window: WindowInput;
  readonly engineer: string;
  readonly validators: readonly string[];
  /** An IRC's reason for scheduling inside a freeze. */
  readonly freezeOverride?: string;
  readonly general?: ChannelTarget;
  /** False when the person already sees the result (the form they submitted turns into the tracker). */
  readonly acknowledge?: boolean;
}

export interface DeploymentActionRequest extends RequestBase {
  readonly environment: string;
  readonly deploymentId: string;
  readonly command: Exclude<DeploymentCommand, { type: 'schedule' }>;
  /** For bugs: where to answer with the issue link. */
  readonly bugDetails?: string;
}

export type LockResult =
  | { readonly kind: 'accepted'; readonly lock?: EnvironmentLock; readonly events: readonly LockEvent[] }
  | { readonly kind: 'refused'; readonly refusal: Refusal }
  | { readonly kind: 'duplicate'; readonly lock?: EnvironmentLock };

export type DeploymentResult =
  | { readonly kind: 'accepted'; readonly deployment: DeploymentState; readonly events: readonly DeploymentEvent[] }
  | { readonly kind: 'refused'; readonly refusal: Refusal; readonly deployment?: DeploymentState }
  | { readonly kind: 'duplicate'; readonly deployment?: DeploymentState };

/** The use cases of runbook 3.1–5: each command is one conditional write of the environment's document. */
export class DeploymentService {
  private readonly environments: CommandRunner<EnvironmentDocument, DeploymentOutboxMessage>;

  constructor(private readonly options: DeploymentServiceOptions) {
    this.environments = new CommandRunner(options.environments, options.onOutboxWritten);
  }

  environmentRef(key: string): EnvironmentRef | undefined {
    return this.options.configuredEnvironments.find((e) => e.key === key);
  }

  // Fresh, like every read that answers someone: another instance may have changed the environment.
  async record(environment: string, deploymentId: string): Promise<DeploymentRecord | undefined> {
    const doc = await this.options.environments.get(environment, true);
    return doc?.deployments.find((d) => d.state.id === deploymentId);
  }

  /** Every deployment the bot knows (active and recent), newest last, across environments. */
  async all(): Promise<DeploymentRecord[]> {
    return (await this.environmentDocuments()).flatMap((doc) => doc?.deployments ?? []);
  }

  /** As `all`, with each environment's record of locks and freezes, from the same read. */
  async allWithHolds(): Promise<{ records: DeploymentRecord[]; holds: EnvironmentHolds[] }> {
    const docs = await this.environmentDocuments();
    return { records: docs.flatMap((doc) => doc?.deployments ?? []), holds: docs.flatMap((doc) => (doc ? [holdsOf(doc)] : [])) };
  }

  /** A fresh read of every configured environment's document, in the configured order. */
  private environmentDocuments(): Promise<Array<EnvironmentDocument | undefined>> {
    return Promise.all(this.options.configuredEnvironments.map((e) => this.options.environments.get(e.key, true)));
  }

  async schedule(request: ScheduleRequest): Promise<DeploymentResult> {
    const environment = this.environmentRef(request.environment);
    if (!environment) return refused('invalid-input', `There is no environment "${request.environment}".`, `Pick one of: ${this.options.configuredEnvironments.map((e) => e.name).join(', ')}.`);
    if (!request.general) {
      return refused(
        'channel-not-registered',
        "#general isn't registered yet, so the company notice has nowhere to go.",
        'In the #general channel, type `@lendos register general`, then schedule again.',
      );
    }
    // Fresh: the release lives in another document, so no ETag would catch a stale cached copy (one
    // that says "not promoted" while another instance has promoted it since).
    const release = await this.options.releases.get(request.version, true);
    const promotion = release?.state.promotion;
    const promotedRc = promotion ? release?.state.rcs.find((rc) => rc.number === promotion.rc) : undefined;
    const releaseThread = promotion ? release?.threads[promotion.rc] : undefined;
    const onCall = await lookUpOnCall(this.options.onCall, request.window);

    return this.run(request.environment, 'schedule', request, {
      command: (doc) => ({
        type: 'schedule',
        id: `${request.version}@${environment.key}.${doc.deploymentSeq + 1}`,
        version: request.version,
        environment,
        window: request.window,
        engineer: request.engineer,
        validators: request.validators,
        ...(request.freezeOverride ? { freezeOverride: request.freezeOverride } : {}),
      }),
      context: (doc) => ({
        release: release ? { promoted: Boolean(promotion), hotfix: promotedRc?.hotfix ?? false } : undefined,
        otherDeployments: doc.deployments.map((d) => d.state),
        lock: doc.lock,
        freezes: this.freezesOf(doc),
      }),
      created: { releaseThread, posts: {}, ...onCall },
      general: request.general,
      acknowledge: request.acknowledge,
    });
  }

  async act(request: DeploymentActionRequest): Promise<DeploymentResult> {
    // A new window may have someone else on call; whatever the source says now replaces what it said before.
    const onCall = request.command.type === 'reschedule' ? await lookUpOnCall(this.options.onCall, request.command.window) : undefined;
    return this.run(request.environment, request.command.type, request, {
      deploymentId: request.deploymentId,
      command: () => request.command,
      context: (doc, existing) => ({
        otherDeployments: doc.deployments.filter((d) => d !== existing).map((d) => d.state),
        lock: doc.lock,
        freezes: this.freezesOf(doc),
      }),
      ...(onCall ? { updated: { proposedOnCall: onCall.proposedOnCall, onCallProblem: onCall.onCallProblem } } : {}),
      bugDetails: request.bugDetails,
    });
  }

  /**
   * `lock` / `unlock`: one conditional write of the environment's document, with the confirmation
   * in its outbox, so a crash after the write still answers (and a redelivery changes nothing).
   */
  async changeLock(request: RequestBase & { readonly environment: string; readonly command: LockCommand }): Promise<LockResult> {
    const ref = this.environmentRef(request.environment);
    if (!ref) return { kind: 'refused', refusal: refusal('invalid-input', `There is no environment "${request.environment}".`, 'status') };
    const { result } = await this.environments.run(request.environment, request.activityId, {
      decider: lockDecider,
      command: request.command,
      select: (current) => {
        const doc = current ?? emptyEnvironment(ref);
        const context = { actor: request.actor, now: request.now, directory: this.options.directory, environment: ref, timeZone: this.options.timeZone, deployments: doc.deployments.map((d) => d.state) };
        return { state: doc.lock, context };
      },
      record: (current, lock, events) => {
        const doc = current ?? emptyEnvironment(ref);
        // The newest LOCK_EVENTS_KEPT stay, under a hash chain that survives the trimming.
        const kept = appendTrimmed(holdStreamId(ref.key, 'locks'), doc.lockChain, doc.lockEvents ?? [], events, (all) => all.length - LOCK_EVENTS_KEPT);
        return { doc: { ...doc, lock, lockEvents: kept.events, lockChain: kept.chain } };
      },
      messages: ({ events, nextId }) => [
        { id: nextId(), kind: 'reply', to: request.origin, text: lockConfirmation(events, ref, this.options.timeZone, (id) => this.options.directory.nameOf(id)) },
      ],
    });
    if (result.kind === 'accepted') return { kind: 'accepted', lock: result.state, events: result.events };
    if (result.kind === 'refused') return { kind: 'refused', refusal: result.refusal };
    return { kind: 'duplicate', lock: result.state };
  }

  /**
   * Every deployment (as `all`) and the lines `status` shows for the locks and freezes in force at
   * `now`, from one fresh read of each environment's document.
   */
  async overview(now: Date): Promise<{ records: DeploymentRecord[]; holds: string[] }> {
    const nameOf = (id: string) => this.options.directory.nameOf(id);
    const docs = await this.environmentDocuments();
    const locks = docs.flatMap((doc, i) => {
      const lock = lockInForce(doc?.lock, now);
      return lock ? [describeLock(lock, this.options.configuredEnvironments[i]!.name, this.options.timeZone, nameOf)] : [];
    });
    const declared = docs.flatMap((doc) => (doc ? declaredFreezes(doc.freezeEvents, doc.environment.key) : []));
    const all = [...(this.options.freezes ?? []), ...declared];
    const where = (freeze: Freeze) => (freeze.environments.length === 0 ? 'every environment' : freeze.environments.map((key) => this.environmentRef(key)?.name ?? key).join(', '));
    const freezes = activeFreezes(all, now).map((freeze) => `❄️ ${where(freeze)}: frozen, ${describeFreeze(freeze, this.options.timeZone, nameOf)}`);
    // Those starting within the week too, so whoever plans a window sees them coming.
    const ahead = upcomingFreezes(all, now, UPCOMING_FREEZE_DAYS * 86_400_000).map(
      (freeze) => `❄️ ${where(freeze)}: frozen soon, ${describeFreeze(freeze, this.options.timeZone, nameOf)}`,
    );
    return { records: docs.flatMap((doc) => doc?.deployments ?? []), holds: [...locks, ...freezes, ...ahead] };
  }

  /** Reminds the IRC once when an active window runs past its estimate; safe across instances and restarts. */
  async remindOverruns(now: Date): Promise<number> {
    let reminded = 0;
    for (const environment of this.options.configuredEnvironments) {
      // Fresh: the deployment may have been started (and this cache left stale) by another instance.
      const doc = await this.options.environments.get(environment.key, true);
      const due = doc?.deployments.filter((d) => isOverdue(d, now)) ?? [];
      if (due.length === 0) continue;
      reminded += await this.options.environments.mutate(environment.key, (current) => {
        if (!current) return { result: 0 };
        let seq = current.messageSeq;
        const nextId = () => `m${(seq += 1)}`;
        const overdue = current.deployments.filter((d) => isOverdue(d, now));
        if (overdue.length === 0) return { result: 0 };
        const messages = overdue.flatMap((d) =>
          planDeploymentMessages({ kind: 'overrun', record: d, directory: this.options.directory, nextId, now, timeZone: this.options.timeZone }),
        );
        const deployments = current.deployments.map((d) => (overdue.includes(d) ? { ...d, reminderSentAt: now.toISOString() } : d));
        return { write: { ...current, deployments, outbox: [...current.outbox, ...messages], messageSeq: seq }, result: overdue.length };
      });
      this.options.onOutboxWritten(environment.key);
    }
    return reminded;
  }

  /** The config's freezes and those declared on this environment's document (src/domain/declared-freezes.ts). */
  private freezesOf(doc: EnvironmentDocument) {
    return freezesOn(this.options.freezes ?? [], doc.freezeEvents, doc.environment.key);
  }

  private context() {
    return { directory: this.options.directory, businessHours: this.options.businessHours, timeZone: this.options.timeZone, freezes: this.options.freezes ?? [] };
  }

  /**
   * A deployment command through the runner: decided on the deployment's state (none for
   * `schedule`) with the environment's other deployments and lock as context, its events appended
   * to that deployment's record, its messages planned, in one conditional write of the environment.
   */
  private async run(environment: string, label: string, request: RequestBase, target: DeploymentTarget): Promise<DeploymentResult> {
    const ref = this.environmentRef(environment)!;
    const find = (doc: EnvironmentDocument | undefined, id: string | undefined) => (id === undefined ? undefined : doc?.deployments.find((d) => d.state.id === id));
    const { result, cost } = await this.environments.run(environment, request.activityId, {
      decider: deploymentDecider,
      command: (current) => target.command(current ?? emptyEnvironment(ref)),
      select: (current) => {
        const doc = current ?? emptyEnvironment(ref);
        const existing = find(doc, target.deploymentId);
        if (target.deploymentId !== undefined && !existing) {
          return { refusal: refusal('unknown-deployment', `I have no deployment ${target.deploymentId}.`, 'Type `status <version>` to see its deployments.') };
        }
        return { state: existing?.state, context: { ...this.context(), actor: request.actor, now: request.now, ...target.context(doc, existing) } };
      },
      record: (current, state, events) => ({ doc: recordDeploymentEvents(current ?? emptyEnvironment(ref), state!, events, target) }),
      messages: ({ after, state, events, nextId }) =>
        planDeploymentMessages({
          kind: 'events',
          record: find(after, state!.id)!,
          events,
          directory: this.options.directory,
          origin: request.origin,
          general: target.general,
          bugTracker: this.options.bugTrackerConfigured,
          bugDetails: target.bugDetails,
          acknowledge: target.acknowledge,
          actor: request.actor,
          timeZone: this.options.timeZone,
          nextId,
          now: request.now,
        }),
    });
    this.options.onCost?.(environment, label, cost);
    if (result.kind === 'refused') return { kind: 'refused', refusal: result.refusal, deployment: result.state };
    if (result.kind === 'duplicate') return { kind: 'duplicate' };
    if (result.kind === 'unchanged') return { kind: 'duplicate', deployment: result.state };
    return { kind: 'accepted', deployment: result.state!, events: result.events };
  }
}

/** Which deployment a command is for and what the environment adds to its context and record. */
interface DeploymentTarget {
  /** Undefined for `schedule`, which creates the deployment. */
  readonly deploymentId?: string;
  readonly command: (doc: EnvironmentDocument) => DeploymentCommand;
  readonly context: (doc: EnvironmentDocument, existing: DeploymentRecord | undefined) => Partial<DeploymentFacts>;
  /** The new record's own fields, for `schedule`. */
  readonly created?: Omit<DeploymentRecord, 'state' | 'events' | 'chain'>;
  /** Fields an existing record takes along with the events (a reschedule's on-call proposal). */
  readonly updated?: Partial<Pick<DeploymentRecord, 'proposedOnCall' | 'onCallProblem'>>;
  readonly general?: ChannelTarget;
  readonly bugDetails?: string;
  readonly acknowledge?: boolean;
}

function isOverdue(record: DeploymentRecord, now: Date): boolean {
  const { phase } = record.state;
  return !record.reminderSentAt && (phase === 'in-progress' || phase === 'ready' || phase === 'stable') && overrunBy(record.state, now) > 0;
}

function refusal(code: Refusal['code'], reason: string, hint: string): Refusal {
  return { kind: 'refusal', code, reason, hint };
}

function refused(code: Refusal['code'], reason: string, hint: string): DeploymentResult {
  return { kind: 'refused', refusal: refusal(code, reason, hint) };
}

/** "🔒 Locked BXCI Production until Tue 14 Apr 2026, 18:00 EDT: “…”. Nobody else schedules into it or starts a deployment in it until then." */
function lockConfirmation(events: readonly LockEvent[], environment: EnvironmentRef, timeZone: string, nameOf: (id: string) => string): string {
  const event = events[events.length - 1]!;
  if (event.type === 'environmentLocked') {
    return (
      `🔒 ${nameOf(event.by)} locked ${environment.name} until ${formatZoned(new Date(event.until), timeZone)}: “${event.reason}”. ` +
      `Until then nobody else schedules into it or starts a deployment in it; \`unlock "${environment.name}"\` ends it sooner.`
    );
  }
  const theirs = event.holder === event.by ? '' : ` (held by ${nameOf(event.holder)}: “${event.reason}”)`;
  return `🔓 ${nameOf(event.by)} unlocked ${environment.name}${theirs}.`;
}
