import { formatZoned } from './business-hours';
import { Freeze, coversEnvironment } from './freezes';
import { isBlank, refuse } from './rule-helpers';
import { Actor, DeploymentDirectory, DeploymentState, EnvironmentRef, Refusal } from './types';

// Freezes declared in Teams (`freeze "BXCI Production" until 2026-04-20 09:00 reason: quarter close`)
// and lifted there (`unfreeze …`), as events on the environment's document: the freezes in force
// are the fold of those events, and a declaration lands in the same conditional write as the
// deployments it holds back, so no schedule slips in beside it. A typed freeze is named by its
// reason. The freezes of the config are not events: they are lifted by editing the config. Pure.

export type FreezeEvent =
  | {
      readonly type: 'freezeDeclared';
      /** Unique within the environment's document: which declaration a lift ends. */
      readonly id: string;
      readonly at: string;
      readonly by: string;
      readonly name: string;
      /** ISO instants, half-open [from, to). */
      readonly from: string;
      readonly to: string;
      readonly hotfixes: boolean;
    }
  | { readonly type: 'freezeLifted'; readonly id: string; readonly at: string; readonly by: string; readonly name: string };

export type FreezeCommand =
  | { readonly type: 'freeze'; readonly id: string; readonly name: string; readonly from: Date; readonly to: Date; readonly hotfixes: boolean }
  /** `name` absent: every declared freeze of the environment that has not ended. */
  | { readonly type: 'unfreeze'; readonly name?: string };

export interface FreezeContext {
  readonly actor: Actor;
  readonly now: Date;
  readonly directory: DeploymentDirectory;
  readonly environment: EnvironmentRef;
  readonly timeZone: string;
  /** The config's freezes: a name may not be taken twice, and they are not lifted here. */
  readonly configured: readonly Freeze[];
  /** The environment's deployments, to say which scheduled ones a new freeze holds back. */
  readonly deployments: readonly DeploymentState[];
}

/** The longest reason (and so name) a freeze may have. */
export const MAX_FREEZE_NAME = 200;

/** The longest a freeze may be declared for at once. */
export const MAX_FREEZE_DAYS = 92;

/** The declared freezes of one environment: the fold of its freeze events, ended ones included. */
export function declaredFreezes(events: readonly FreezeEvent[] | undefined, environment: string): Freeze[] {
  const byId = new Map<string, Freeze>();
  for (const event of events ?? []) {
    if (event.type === 'freezeDeclared') {
      byId.set(event.id, {
        name: event.name,
        from: event.from,
        to: event.to,
        environments: [environment],
        hotfixes: event.hotfixes,
        source: { kind: 'command', by: event.by, at: event.at },
      });
    } else {
      byId.delete(event.id);
    }
  }
  return [...byId.values()];
}

/** Every freeze that holds deployments to an environment back: the config's, and the ones declared on its document. */
export function freezesOn(configured: readonly Freeze[], events: readonly FreezeEvent[] | undefined, environment: string): Freeze[] {
  return [...configured, ...declaredFreezes(events, environment)];
}

/** Declared freezes (with their ids) that have not ended at `now`: in force, or still ahead. */
function pending(events: readonly FreezeEvent[] | undefined, now: Date): Array<{ id: string; event: Extract<FreezeEvent, { type: 'freezeDeclared' }> }> {
  const lifted = new Set((events ?? []).filter((e) => e.type === 'freezeLifted').map((e) => e.id));
  return (events ?? [])
    .filter((e): e is Extract<FreezeEvent, { type: 'freezeDeclared' }> => e.type === 'freezeDeclared')
    .filter((e) => !lifted.has(e.id) && now.getTime() < Date.parse(e.to))
    .map((event) => ({ id: event.id, event }));
}

/**
 * Decides `freeze` / `unfreeze` on an environment's freeze record (its events so far), in the
 * domain's one shape: decide(command, state, context) -> events | refusal.
 */
export function decideFreeze(command: FreezeCommand, events: readonly FreezeEvent[] | undefined, context: FreezeContext): readonly FreezeEvent[] | Refusal {
  const { actor, now, directory, environment, timeZone } = context;
  const env = `"${environment.name}"`;
  const at = now.toISOString();
  if (!directory.isIrc(actor.id) && !directory.isPlatform(actor.id)) {
    return refuse('not-allowed', `Only an IRC or the Platform team can ${command.type} an environment.`, 'status');
  }
  const open = pending(events, now);
  if (command.type === 'unfreeze') {
    const matching = open.filter(({ event }) => command.name === undefined || sameName(event.name, command.name));
    if (matching.length > 0) return matching.map(({ id, event }) => ({ type: 'freezeLifted', id, at, by: actor.id, name: event.name }));
    const configured = context.configured.find(
      (f) => coversEnvironment(f, environment.key) && now.getTime() < Date.parse(f.to) && (command.name === undefined || sameName(f.name, command.name)),
    );
    if (configured) {
      return refuse(
        'not-allowed',
        `“${configured.name}” on ${environment.name} comes from the config, not from a command, so it can't be lifted in Teams: remove it from the config's freezes and restart. ` +
          `To deploy inside it anyway an IRC adds override freeze <reason> to schedule or start.`,
        'start override freeze <reason>',
      );
    }
    const what = command.name === undefined ? `${environment.name} has no freeze declared in Teams that is in force or ahead` : `${environment.name} has no freeze “${command.name}” in force or ahead`;
    return refuse('invalid-input', `${what}, so there is nothing to unfreeze.`, `freeze ${env} until 2026-04-20 09:00 reason: quarter close`);
  }

  const example = `freeze ${env} until ${exampleEnd(now)} reason: quarter close`;
  if (isBlank(command.name)) return refuse('missing-input', 'A freeze needs a reason, which is also its name: whoever it stops reads it.', example);
  if (command.name.trim().length > MAX_FREEZE_NAME) {
    return refuse('invalid-input', `A freeze's reason is its name, shown in every refusal it causes: keep it to ${MAX_FREEZE_NAME} characters and put the details behind a link.`, example);
  }
  const from = Math.max(command.from.getTime(), now.getTime());
  const to = command.to.getTime();
  if (Number.isNaN(to) || to <= now.getTime()) return refuse('invalid-input', `A freeze must end in the future; ${formatZoned(command.to, timeZone)} has passed.`, example);
  if (to <= from) return refuse('invalid-input', `The freeze must end after it begins (${formatZoned(command.from, timeZone)}).`, example);
  if (to - from > MAX_FREEZE_DAYS * 86_400_000) {
    return refuse('invalid-input', `A freeze lasts at most ${MAX_FREEZE_DAYS} days; declare the next one when this one ends, or put a long one in the config.`, example);
  }
  const taken =
    open.find(({ event }) => sameName(event.name, command.name))?.event ??
    context.configured.find((f) => coversEnvironment(f, environment.key) && sameName(f.name, command.name) && now.getTime() < Date.parse(f.to));
  if (taken && taken.to === command.to.toISOString() && taken.hotfixes === command.hotfixes) {
    return refuse('invalid-input', `${environment.name} is already frozen for “${taken.name}” until ${formatZoned(new Date(taken.to), timeZone)}; nothing changed.`, 'status');
  }
  if (taken) {
    return refuse(
      'invalid-input',
      `${environment.name} already has a freeze “${taken.name}” (${formatZoned(new Date(taken.from), timeZone)} until ${formatZoned(new Date(taken.to), timeZone)}). Give this one another reason, or unfreeze that one first.`,
      `unfreeze ${env}`,
    );
  }
  return [
    { type: 'freezeDeclared', id: command.id, at, by: actor.id, name: command.name.trim(), from: new Date(from).toISOString(), to: command.to.toISOString(), hotfixes: command.hotfixes },
  ];
}

/** The record after an event: the events so far, this one appended; the freezes in force are its fold (declaredFreezes). */
export function evolveFreezes(events: readonly FreezeEvent[] | undefined, event: FreezeEvent): readonly FreezeEvent[] {
  return [...(events ?? []), event];
}

/** The freeze state machine: decide and evolve, as every one in the domain. */
export const freezeDecider = { decide: decideFreeze, evolve: evolveFreezes } as const;

/**
 * How many of the oldest events to drop from the document's record: while more than `keep` are
 * stored, the oldest goes if its freeze has ended or was lifted, and the first one of a freeze still
 * in force or ahead stops it. Only a prefix goes (so the record's hash chain stays checkable), and a
 * declaration goes before its lift, so the fold of what is kept is the fold of everything.
 */
export function freezeEventsToDrop(events: readonly FreezeEvent[], now: Date, keep: number): number {
  const live = new Set(pending(events, now).map(({ id }) => id));
  let drop = 0;
  while (events.length - drop > keep && !live.has(events[drop]!.id)) drop += 1;
  return drop;
}

/** "❄️ Steven Inouye froze BXCI Production from … until …: “quarter close” (hotfixes may pass)." and what it holds back. */
export function freezeConfirmation(events: readonly FreezeEvent[], environment: EnvironmentRef, context: Pick<FreezeContext, 'timeZone' | 'directory' | 'deployments'>): string {
  const nameOf = (id: string) => context.directory.nameOf(id);
  const lines = events.map((event) => {
    if (event.type === 'freezeLifted') return `☀️ ${nameOf(event.by)} lifted the freeze “${event.name}” on ${environment.name}.`;
    const hotfixes = event.hotfixes ? 'hotfixes may pass' : 'hotfixes too';
    const held = context.deployments
      .filter((d) => d.phase === 'scheduled' && Date.parse(d.window.start) < Date.parse(event.to) && Date.parse(event.from) < Date.parse(d.window.end) && !(d.hotfix && event.hotfixes))
      .map((d) => `Deploy ${d.version} to ${environment.name}`);
    const heldText = held.length > 0 ? ` Already scheduled inside it, and held back at start unless an IRC overrides: ${held.join(', ')}.` : '';
    return (
      `❄️ ${nameOf(event.by)} froze ${environment.name} from ${formatZoned(new Date(event.from), context.timeZone)} until ${formatZoned(new Date(event.to), context.timeZone)}: “${event.name}” (${hotfixes}). ` +
      `Nothing is scheduled or started there meanwhile unless an IRC overrides with a reason; \`unfreeze "${environment.name}"\` lifts it.${heldText}`
    );
  });
  return lines.join('\n\n');
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function exampleEnd(now: Date): string {
  return new Date(now.getTime() + 7 * 86_400_000).toISOString().slice(0, 10) + ' 09:00';
}
