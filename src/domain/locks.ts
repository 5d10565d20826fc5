import { formatZoned } from './business-hours';
import { Decider } from './decider';
import { isBlank, refuse } from './rule-helpers';
import { Actor, DeploymentDirectory, DeploymentState, EnvironmentRef, Refusal } from './types';

// Environment locks: someone holds an environment for a while ("DB migration dry run, for 2h"), and
// nobody else schedules into or starts a deployment in it meanwhile. A lock ends on its own at
// `until`, judged against the clock passed in (no timer has to fire for it to end); a started
// deployment holds its environment the same way until it goes live or is aborted. Kept on the
// environment's document, so the check and the deployment it guards are one conditional write.
// Pure: no I/O.

export interface EnvironmentLock {
  /** Person id of whoever locked it. */
  readonly holder: string;
  readonly reason: string;
  /** ISO instants: when it was locked, and when it ends by itself. */
  readonly at: string;
  readonly until: string;
}

export type LockEvent =
  | { readonly type: 'environmentLocked'; readonly at: string; readonly by: string; readonly reason: string; readonly until: string }
  | { readonly type: 'environmentUnlocked'; readonly at: string; readonly by: string; readonly holder: string; readonly reason: string };

export type LockCommand = { readonly type: 'lock'; readonly reason: string; readonly until: Date } | { readonly type: 'unlock' };

export interface LockContext {
  readonly actor: Actor;
  readonly now: Date;
  readonly directory: DeploymentDirectory;
  readonly environment: EnvironmentRef;
  readonly timeZone: string;
  /** The environment's deployments; a started one holds the environment. */
  readonly deployments: readonly DeploymentState[];
}

/** A lock without `for` or `until` lasts this long. */
export const DEFAULT_LOCK_MINUTES = 120;
/** The longest a lock may be taken for at once. */
export const MAX_LOCK_DAYS = 7;

const STARTED: readonly DeploymentState['phase'][] = ['in-progress', 'ready', 'stable'];

/** The lock in force at `now`, or undefined once it has ended by itself. */
export function lockInForce(lock: EnvironmentLock | undefined, now: Date): EnvironmentLock | undefined {
  return lock && now.getTime() < Date.parse(lock.until) ? lock : undefined;
}

/** The started deployment that holds the environment, if any. */
export function holdingDeployment(deployments: readonly DeploymentState[]): DeploymentState | undefined {
  return deployments.find((d) => STARTED.includes(d.phase));
}

/** Decides `lock` / `unlock` (the domain's one shape, decider.ts): the events, or why not. */
export function decideLock(command: LockCommand, lock: EnvironmentLock | undefined, context: LockContext): readonly LockEvent[] | Refusal {
  const { actor, now, directory, environment, timeZone } = context;
  const name = `"${environment.name}"`;
  const current = lockInForce(lock, now);
  const mayManage = directory.isIrc(actor.id) || directory.isPlatform(actor.id);
  const at = now.toISOString();
  if (command.type === 'unlock') {
    if (!current) return refuse('invalid-input', `${environment.name} is not locked, so there is nothing to unlock.`, `lock ${name} <reason> for 2h`);
    if (current.holder !== actor.id && !mayManage) {
      return refuse('not-allowed', `Only ${directory.nameOf(current.holder)} (who holds it), an IRC or the Platform team can unlock ${environment.name}.`, `status`);
    }
    return [{ type: 'environmentUnlocked', at, by: actor.id, holder: current.holder, reason: current.reason }];
  }
  const example = `lock ${name} database migration dry run for 2h`;
  if (!mayManage) return refuse('not-allowed', `Only an IRC or the Platform team can lock an environment.`, 'status');
  if (isBlank(command.reason)) return refuse('missing-input', `A lock needs a reason, so whoever it stops knows why.`, example);
  const until = command.until.getTime();
  if (Number.isNaN(until) || until <= now.getTime()) return refuse('invalid-input', `A lock must end in the future; ${formatZoned(command.until, timeZone)} has passed.`, example);
  if (until - now.getTime() > MAX_LOCK_DAYS * 86_400_000) {
    return refuse('invalid-input', `A lock lasts at most ${MAX_LOCK_DAYS} days; lock it again when it ends if you still need it.`, `lock ${name} ${command.reason.trim()} for 24h`);
  }
  if (current && current.holder !== actor.id) return lockRefusal(current, `Locking ${environment.name}`, environment.name, timeZone, (id) => directory.nameOf(id), `unlock ${name}`);
  const holding = holdingDeployment(context.deployments);
  if (holding) {
    return refuse(
      'locked',
      `${environment.name} is held by Deploy ${holding.version} to ${environment.name}, ${holding.phase} since ${formatZoned(new Date(holding.phaseAt[holding.phase] ?? at), timeZone)}: ` +
        `a started deployment holds its environment until it goes live or is aborted.`,
      `status ${holding.version}`,
    );
  }
  return [{ type: 'environmentLocked', at, by: actor.id, reason: command.reason.trim(), until: command.until.toISOString() }];
}

/** The lock state machine in the domain's one shape (domain/decider.ts). */
export const lockDecider: Decider<LockCommand, EnvironmentLock | undefined, LockEvent, LockContext> = {
  decide: decideLock,
  evolve: (lock, event) => applyLock(lock, event),
};

export function applyLock(lock: EnvironmentLock | undefined, event: LockEvent): EnvironmentLock | undefined {
  if (event.type === 'environmentUnlocked') return undefined;
  return { holder: event.by, reason: event.reason, at: event.at, until: event.until };
}

/** Someone else's lock refuses `what`: who holds it, why, until when. */
export function lockRefusal(lock: EnvironmentLock, what: string, environmentName: string, timeZone: string, nameOf: (id: string) => string, hint: string): Refusal {
  return refuse(
    'locked',
    `${environmentName} is locked by ${nameOf(lock.holder)} until ${formatZoned(new Date(lock.until), timeZone)}: “${lock.reason}”. ` +
      `${what} has to wait until the lock ends, or until ${nameOf(lock.holder)}, an IRC or the Platform team unlocks it.`,
    hint,
  );
}

/** "🔒 BXCI Production: locked by Jake Edgington until Tue 14 Apr 2026, 18:00 EDT — “DB dry run”", for status. */
export function describeLock(lock: EnvironmentLock, environmentName: string, timeZone: string, nameOf: (id: string) => string): string {
  return `🔒 ${environmentName}: locked by ${nameOf(lock.holder)} until ${formatZoned(new Date(lock.until), timeZone)} — “${lock.reason}”`;
}
