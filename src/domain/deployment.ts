import { BotError } from '../errors';
import { Decider, decideAndEvolve } from './decider';
import { firstRefusal, isBlank, isHttpUrl, isRefusal, listOf, present, quoteText, refuse } from './rule-helpers';
import { Freeze, blockingFreezes, freezeRefusal } from './freezes';
import { EnvironmentLock, holdingDeployment, lockInForce, lockRefusal } from './locks';
import { BusinessHours, formatLocalDateTime, formatWindow, formatZoned, overlapsBusinessHours } from './business-hours';
import {
  Actor,
  DeploymentCommand,
  DeploymentDirectory,
  DeploymentEvent,
  DeploymentOutcome,
  DeploymentPhase,
  DeploymentState,
  DeploymentStop,
  DeploymentWindow,
  Directory,
  DirectoryRole,
  EnvironmentRef,
  Refusal,
  ReleaseFacts,
  SmokeResult,
  WindowInput,
} from './types';

// Runbook 3.1–5 and the hotfix rule as a state machine in the domain's one shape (decider.ts):
// decide(command, state, context) -> events, or a Refusal saying why not and what to type instead;
// evolve(state, event) -> state. No I/O and no lookups: the caller passes who acts, when, the
// release's facts and the environment's other deployments in `context`.
//
// Hints are commands as typed in the deployment's meeting chat or tracker thread (`start`, `ready`,
// `smoke pass <notes>`); scheduling hints name the release and environment in full.

/** Everything a decision needs besides the deployment itself. */
export interface DeploymentContext {
  readonly actor: Actor;
  readonly now: Date;
  readonly directory: DeploymentDirectory;
  readonly businessHours: BusinessHours;
  /** IANA zone for business hours and every time shown. */
  readonly timeZone: string;
  /** The release `schedule` names; undefined when no such release exists. Other commands don't read it. */
  readonly release?: ReleaseFacts;
  /** The other deployments to the same environment, in any phase; `schedule` and `reschedule` check overlap against them. */
  readonly otherDeployments?: readonly DeploymentState[];
  /** Freeze periods (configured and declared); `schedule`, `reschedule` and `start` are refused inside one. */
  readonly freezes?: readonly Freeze[];
  /** The environment's lock, if any; while someone else holds it, scheduling into it and starting are refused. */
  readonly lock?: EnvironmentLock;
}

/** The context without who acts and when: what the environment and the config say. */
export type DeploymentFacts = Omit<DeploymentContext, 'actor' | 'now'>;

export const MIN_WINDOW_MINUTES = 15;
export const MAX_WINDOW_MINUTES = 8 * 60;
/** Runbook 4.1: "Estimated time: ~90 minutes." The window length when none is given. */
export const DEFAULT_WINDOW_MINUTES = 90;

const MINUTE = 60_000;
const ACTIVE_PHASES: readonly DeploymentPhase[] = ['scheduled', 'in-progress', 'ready', 'stable'];
const STARTED_PHASES: readonly DeploymentPhase[] = ['in-progress', 'ready', 'stable', 'live', 'aborted'];

type Command<T extends DeploymentCommand['type']> = Extract<DeploymentCommand, { type: T }>;
type Decided = readonly DeploymentEvent[] | Refusal;

interface Ctx {
  readonly actor: Actor;
  readonly now: number;
  readonly at: string;
  readonly context: DeploymentContext;
}

interface OnDeployment extends Ctx {
  readonly deployment: DeploymentState;
}

/** What a window is checked against: the deployment it belongs to (existing or about to be). */
interface WindowOwner {
  readonly id: string;
  readonly version: string;
  readonly hotfix: boolean;
  readonly environment: EnvironmentRef;
  readonly verb: 'schedule' | 'reschedule';
  /** " engineer Bosko Kocev validators Luis Garcia, Rafaella Barrocas" for a schedule's hints, so they can be retyped whole. */
  readonly people?: string;
}

/** Decides one command: the events it causes, or a refusal. `state` is undefined only for `schedule`, which creates the deployment. */
export function decide(command: DeploymentCommand, state: DeploymentState | undefined, context: DeploymentContext): readonly DeploymentEvent[] | Refusal {
  const { actor, now } = context;
  return decideEvents({ actor, now: now.getTime(), at: now.toISOString(), context }, state, command);
}

/** The deployment state machine in the domain's one shape (domain/decider.ts). */
export const deploymentDecider: Decider<DeploymentCommand, DeploymentState | undefined, DeploymentEvent, DeploymentContext> = { decide, evolve };

/** Decides one command and folds its events: the new state with them, or the refusal. */
export function decideDeployment(command: DeploymentCommand, state: DeploymentState | undefined, context: DeploymentContext): DeploymentOutcome {
  return decideAndEvolve(deploymentDecider, command, state, context) as DeploymentOutcome;
}

function decideEvents(ctx: Ctx, state: DeploymentState | undefined, command: DeploymentCommand): Decided {
  if (command.type === 'schedule') return schedule(ctx, state, command);
  if (!state) {
    return refuse('unknown-deployment', 'There is no such deployment; it may never have been scheduled.', 'status');
  }
  const on: OnDeployment = { ...ctx, deployment: state };
  switch (command.type) {
    case 'reschedule':
      return reschedule(on, command);
    case 'cancel':
      return cancel(on, command);
    case 'confirmOnCall':
      return confirmOnCall(on, command);
    case 'overrideOnCall':
      return overrideOnCall(on, command);
    case 'start':
      return start(on, command);
    case 'ready':
      return ready(on);
    case 'stable':
      return stable(on);
    case 'smoke':
      return smoke(on, command);
    case 'live':
      return live(on, command);
    case 'abort':
      return abort(on, command);
    case 'recordMeeting':
      return recordMeeting(on, command);
    case 'recordBug':
      return recordBug(on, command);
    case 'recordIssue':
      return recordIssue(on, command);
  }
}

// ---- scheduling (runbook 3.1–3.3) -----------------------------------------------------------

function schedule(ctx: Ctx, existing: DeploymentState | undefined, command: Command<'schedule'>): Decided {
  const { version, environment } = command;
  const title = titleOf(version, environment);
  const release = ctx.context.release;
  const nameOf = (id: string) => ctx.context.directory.nameOf(id);
  const people = command.engineer && command.validators.length > 0 ? ` engineer ${nameOf(command.engineer)} validators ${unique(command.validators).map(nameOf).join(', ')}` : '';
  const owner: WindowOwner = { id: command.id, version, hotfix: release?.hotfix ?? false, environment, verb: 'schedule', people };
  const refusal = firstRefusal(
    () => requireRole(ctx, 'irc', `schedule a deployment`, `status ${version}`),
    () =>
      existing
        ? refuse(
            'already-scheduled',
            `${deploymentTitle(existing)} is already scheduled as this deployment (${windowText(ctx, existing.window)}).`,
            `status ${existing.version}`,
          )
        : undefined,
    () =>
      release
        ? undefined
        : refuse('no-release', `There is no release ${version} to deploy; only a promoted release is scheduled.`, `status ${version}`),
    () =>
      release?.promoted
        ? undefined
        : refuse(
            'not-promoted',
            `${version} is not promoted yet; only a promoted release is scheduled. ` +
              `Promotion needs every lead's approval of its current RC, then the Platform team promotes it.`,
            `status ${version}`,
          ),
    () => requirePeople(ctx, command, title),
    () => checkWindow(ctx, command.window, owner, command.freezeOverride),
  );
  if (refusal) return refusal;
  const overrides = freezeOverrides(ctx, owner, command.window.start.getTime(), command.window.end.getTime(), command.freezeOverride, 'schedule', []);
  if (isRefusal(overrides)) return overrides;
  return [
    {
      ...stamp(ctx),
      type: 'deploymentScheduled',
      id: command.id,
      version,
      hotfix: owner.hotfix,
      environment: { key: environment.key, name: environment.name },
      window: isoWindow(command.window),
      engineer: command.engineer,
      validators: unique(command.validators),
    },
    ...overrides,
  ];
}

function reschedule(ctx: OnDeployment, command: Command<'reschedule'>): Decided {
  const { deployment } = ctx;
  const refusal = firstRefusal(
    () => requireRole(ctx, 'irc', `reschedule ${deploymentTitle(deployment)}`, statusHint(deployment)),
    () => requireActive(ctx),
    () =>
      deployment.phase === 'scheduled'
        ? undefined
        : refuse(
            'wrong-phase',
            `${deploymentTitle(deployment)} is ${phaseText(ctx, deployment)}; a started deployment can't be moved. ` +
              `Abort it and schedule a new one.`,
            'abort <reason>',
          ),
    () =>
      sameWindow(deployment.window, command.window)
        ? refuse('invalid-input', `${deploymentTitle(deployment)} is already scheduled for ${windowText(ctx, deployment.window)}.`, statusHint(deployment))
        : undefined,
    () => checkWindow(ctx, command.window, { ...ownerOf(deployment), verb: 'reschedule' }, command.freezeOverride, overriddenOf(deployment)),
  );
  if (refusal) return refusal;
  const overrides = freezeOverrides(ctx, ownerOf(deployment), command.window.start.getTime(), command.window.end.getTime(), command.freezeOverride, 'reschedule', overriddenOf(deployment));
  if (isRefusal(overrides)) return overrides;
  // Coverage was confirmed for the old window; the on-call rota may differ at the new time.
  const voided = deployment.onCall ? { voidedOnCall: deployment.onCall } : {};
  return [{ ...stamp(ctx), type: 'deploymentRescheduled', from: deployment.window, window: isoWindow(command.window), ...voided }, ...overrides];
}

function cancel(ctx: OnDeployment, command: Command<'cancel'>): Decided {
  const { deployment } = ctx;
  const refusal = firstRefusal(
    () => requireRole(ctx, 'irc', `cancel ${deploymentTitle(deployment)}`, statusHint(deployment)),
    () => requireActive(ctx),
    () =>
      deployment.phase === 'scheduled'
        ? undefined
        : refuse(
            'wrong-phase',
            `${deploymentTitle(deployment)} is ${phaseText(ctx, deployment)}; cancelling is for deployments that haven't started. Abort it instead.`,
            'abort <reason>',
          ),
    () => requireText(command.reason, `Cancelling ${deploymentTitle(deployment)} needs a reason, for the company notification.`, 'cancel <reason>'),
  );
  if (refusal) return refusal;
  return [{ ...stamp(ctx), type: 'deploymentCancelled', reason: command.reason.trim() }];
}

function confirmOnCall(ctx: OnDeployment, command: Command<'confirmOnCall'>): Decided {
  const { deployment } = ctx;
  const hint = 'confirm on-call <person>';
  const refusal = firstRefusal(
    () => requireRole(ctx, 'irc', `confirm on-call coverage`, statusHint(deployment)),
    () => requireActive(ctx),
    () => requireKnownPerson(ctx, command.person, 'The on-call engineer', hint),
    () => {
      const current = deployment.onCall;
      if (current?.kind !== 'confirmed' || current.person !== command.person) return undefined;
      return refuse(
        'already-decided',
        `${ctx.context.directory.nameOf(current.by)} already confirmed ${ctx.context.directory.nameOf(current.person)} ` +
          `as on-call for ${deploymentTitle(deployment)} on ${instantText(ctx, current.at)}.`,
        statusHint(deployment),
      );
    },
  );
  if (refusal) return refusal;
  return [{ ...stamp(ctx), type: 'onCallConfirmed', person: command.person }];
}

function overrideOnCall(ctx: OnDeployment, command: Command<'overrideOnCall'>): Decided {
  const { deployment } = ctx;
  const hint = 'override on-call <person> <reason>';
  const refusal = firstRefusal(
    () => requireRole(ctx, 'irc', `override on-call coverage`, statusHint(deployment)),
    () => requireActive(ctx),
    () => requireKnownPerson(ctx, command.person, 'The on-call replacement', hint),
    () =>
      requireText(
        command.reason,
        `Overriding on-call coverage needs a reason (why the scheduled on-call engineer can't cover), so it is on record.`,
        `override on-call ${ctx.context.directory.nameOf(command.person)} <reason>`,
      ),
  );
  if (refusal) return refusal;
  return [{ ...stamp(ctx), type: 'onCallOverridden', person: command.person, reason: command.reason.trim() }];
}

// ---- the window (runbook 4.1–4.5) -----------------------------------------------------------

function start(ctx: OnDeployment, command: Command<'start'>): Decided {
  const { deployment } = ctx;
  const { start: opens, end: closes } = windowMs(deployment.window);
  const refusal = firstRefusal(
    () => requireRole(ctx, 'irc', `start ${deploymentTitle(deployment)}`, statusHint(deployment)),
    () => requireActive(ctx),
    () => requirePhase(ctx, 'scheduled', 'start'),
    () =>
      deployment.onCall
        ? undefined
        : refuse(
            'on-call-unconfirmed',
            `${deploymentTitle(deployment)} can't start until on-call coverage is confirmed, or overridden with another person.`,
            'confirm on-call <person>',
          ),
    () =>
      ctx.now < opens
        ? refuse(
            'window-not-open',
            `The window for ${deploymentTitle(deployment)} opens at ${instantText(ctx, deployment.window.start)}, as announced to the company; ` +
              `start it then.`,
            'start',
          )
        : undefined,
    () =>
      ctx.now >= closes
        ? refuse(
            'window-passed',
            `The window for ${deploymentTitle(deployment)} closed at ${instantText(ctx, deployment.window.end)} without the deployment starting; ` +
              `reschedule it so the company hears the new time.`,
            windowHint(ctx, 'reschedule', ownerOf(deployment), ceilToQuarterHour(ctx.now), closes - opens),
          )
        : undefined,
    () => checkLock(ctx, ownerOf(deployment), ctx.now, ctx.now + (closes - opens), 'start'),
    () => {
      // A started deployment holds its environment until it goes live or is aborted, even past its window.
      const holding = holdingDeployment((ctx.context.otherDeployments ?? []).filter((d) => d.id !== deployment.id && d.environment.key === deployment.environment.key));
      return holding
        ? refuse(
            'locked',
            `${deployment.environment.name} is held by ${deploymentTitle(holding)}, ${phaseText(ctx, holding)}: a started deployment holds its environment until it goes live or is aborted.`,
            `status ${holding.version}`,
          )
        : undefined;
    },
    // Started now, it runs its planned length from now: that span must be clear of freezes.
    () => checkFreezes(ctx, ownerOf(deployment), ctx.now, ctx.now + (closes - opens), 'start', command.freezeOverride, overriddenOf(deployment)),
  );
  if (refusal) return refusal;
  const overrides = freezeOverrides(ctx, ownerOf(deployment), ctx.now, ctx.now + (closes - opens), command.freezeOverride, 'start', overriddenOf(deployment));
  if (isRefusal(overrides)) return overrides;
  return [...overrides, { ...stamp(ctx), type: 'deploymentStarted' }];
}

function ready(ctx: OnDeployment): Decided {
  const refusal = firstRefusal(
    () => requireEngineerOrPlatform(ctx, 'signal ready'),
    () => requireActive(ctx),
    () => requirePhase(ctx, 'in-progress', 'ready'),
  );
  if (refusal) return refusal;
  return [{ ...stamp(ctx), type: 'deploymentReady' }];
}

function stable(ctx: OnDeployment): Decided {
  const refusal = firstRefusal(
    () => requireEngineerOrPlatform(ctx, 'confirm the environment stable'),
    () => requireActive(ctx),
    () => requirePhase(ctx, 'ready', 'stable'),
  );
  if (refusal) return refusal;
  return [{ ...stamp(ctx), type: 'deploymentStable' }];
}

function smoke(ctx: OnDeployment, command: Command<'smoke'>): Decided {
  const { deployment, actor } = ctx;
  const directory = ctx.context.directory;
  const refusal = firstRefusal(
    () =>
      deployment.validators.includes(actor.id)
        ? undefined
        : refuse(
            'not-allowed',
            `Only the validators of ${deploymentTitle(deployment)} record smoke-test results: ${names(directory, deployment.validators, 'and')}.`,
            statusHint(deployment),
          ),
    () => requireActive(ctx),
    () => requirePhase(ctx, 'stable', 'smoke'),
    () =>
      command.result === 'fail'
        ? requireText(command.notes, `A failed smoke test needs notes saying what failed, so the engineer can act on it.`, 'smoke fail <what failed>')
        : undefined,
  );
  if (refusal) return refusal;
  const previous = smokeOf(deployment, actor.id)?.result;
  return [{ ...stamp(ctx), type: 'smokeRecorded', result: command.result, notes: (command.notes ?? '').trim(), ...(previous ? { previous } : {}) }];
}

function live(ctx: OnDeployment, command: Command<'live'>): Decided {
  const { deployment, actor } = ctx;
  const directory = ctx.context.directory;
  const overrideReason = present(command.overrideReason);
  const isPlatform = directory.isPlatform(actor.id);
  const isIrc = directory.isIrc(actor.id);
  const refusal = firstRefusal(
    () => (isPlatform || isIrc ? undefined : requireRole(ctx, 'platform', `declare ${deploymentTitle(deployment)} live`, statusHint(deployment))),
    () => requireActive(ctx),
    () => requirePhase(ctx, 'stable', 'live'),
  );
  if (refusal) return refusal;
  const without = notPassed(deployment);
  if (without.length === 0) {
    const notPlatform = isPlatform
      ? undefined
      : requireRole(ctx, 'platform', `declare ${deploymentTitle(deployment)} live (an IRC only overrides missing smoke passes)`, statusHint(deployment));
    return notPlatform ?? [{ ...stamp(ctx), type: 'deploymentLive' }];
  }
  const progress = smokeProgress(deployment);
  const missing = [
    progress.failed.length > 0 ? `${names(directory, progress.failed, 'and')} failed` : '',
    progress.pending.length > 0 ? `${names(directory, progress.pending, 'and')} ${progress.pending.length > 1 ? 'have' : 'has'} not reported` : '',
  ]
    .filter(Boolean)
    .join('; ');
  if (!overrideReason) {
    return refuse(
      'smoke-incomplete',
      `${deploymentTitle(deployment)} goes live on every validator's pass: ${missing}. ` +
        `An IRC can take it live anyway with a reason, which is recorded.`,
      isIrc ? 'live override <reason>' : 'smoke pass <notes>',
    );
  }
  if (!isIrc) {
    return requireRole(ctx, 'irc', `take a deployment live without every validator's pass (${missing})`, statusHint(deployment)) as Refusal;
  }
  return [{ ...stamp(ctx), type: 'deploymentLive', override: { reason: overrideReason, without } }];
}

function abort(ctx: OnDeployment, command: Command<'abort'>): Decided {
  const { deployment } = ctx;
  const refusal = firstRefusal(
    () => requireRole(ctx, 'irc', `abort ${deploymentTitle(deployment)}`, statusHint(deployment)),
    () => requireActive(ctx),
    () => requireText(command.reason, `Aborting ${deploymentTitle(deployment)} needs a reason, for the record and the incident review.`, 'abort <reason>'),
  );
  if (refusal) return refusal;
  return [{ ...stamp(ctx), type: 'deploymentAborted', reason: command.reason.trim(), during: deployment.phase }];
}

// ---- integration events and post-deployment (runbook 3.1, 5) --------------------------------

/**
 * The meeting exists (Graph created it): recorded in any phase, since a meeting created as the
 * deployment was cancelled must be known to be cancelled too; the same meeting again changes nothing.
 */
function recordMeeting(ctx: OnDeployment, command: Command<'recordMeeting'>): Decided {
  const hint = statusHint(ctx.deployment);
  const refusal = firstRefusal(
    () => requireText(command.meetingId, 'A meeting record needs the meeting id.', hint),
    () =>
      isHttpUrl(command.joinUrl)
        ? undefined
        : refuse('invalid-input', `${quoteText(command.joinUrl)} is not a web link; a meeting needs an https join URL.`, hint),
  );
  if (refusal) return refusal;
  if (ctx.deployment.meeting?.meetingId === command.meetingId.trim() && ctx.deployment.meeting.joinUrl === command.joinUrl.trim()) return [];
  return [{ ...stamp(ctx), type: 'meetingRecorded', joinUrl: command.joinUrl.trim(), meetingId: command.meetingId.trim() }];
}

function recordBug(ctx: OnDeployment, command: Command<'recordBug'>): Decided {
  const { deployment } = ctx;
  const url = present(command.url);
  const refusal = firstRefusal(
    () => (deployment.phase === 'cancelled' ? finished(ctx) : undefined),
    () =>
      deployment.phase === 'scheduled'
        ? refuse(
            'wrong-phase',
            `${deploymentTitle(deployment)} hasn't started, so nothing of it is deployed to file a bug against.`,
            statusHint(deployment),
          )
        : undefined,
    () => requireText(command.title, 'A bug needs a title saying what is wrong.', 'bug <title>'),
    () =>
      url === undefined || isHttpUrl(url)
        ? undefined
        : refuse('invalid-input', `${quoteText(url)} is not a web link; a bug's link must be http(s).`, 'bug <title>'),
  );
  if (refusal) return refusal;
  return [{ ...stamp(ctx), type: 'bugRecorded', title: command.title.trim(), ...(url ? { url } : {}) }];
}

/** GitHub filed the issue for a recorded bug: its link lands on the bug, once. */
function recordIssue(ctx: OnDeployment, command: Command<'recordIssue'>): Decided {
  const bug = ctx.deployment.bugs[command.bug];
  const hint = statusHint(ctx.deployment);
  if (!bug) return refuse('invalid-input', `${deploymentTitle(ctx.deployment)} has no bug number ${command.bug + 1}.`, hint);
  if (!isHttpUrl(command.url)) return refuse('invalid-input', `${quoteText(command.url)} is not a web link; an issue needs its https page.`, hint);
  if (bug.url) return [];
  return [{ ...stamp(ctx), type: 'bugFiled', bug: command.bug, url: command.url, issue: command.issue }];
}

// ---- rule checks ----------------------------------------------------------------------------

const ROLE_TITLE: Readonly<Record<DirectoryRole, string>> = {
  platform: 'the Platform team',
  qaLead: 'the QA lead',
  irc: 'an IRC',
};

function requireRole(ctx: Ctx, role: DirectoryRole, action: string, hint: string): Refusal | undefined {
  const { directory } = ctx.context;
  if (holdsRole(directory, role, ctx.actor.id)) return undefined;
  return refuse('not-allowed', `Only ${ROLE_TITLE[role]} can ${action} — ${askRole(directory, role)}.`, hint);
}

function requireEngineerOrPlatform(ctx: OnDeployment, action: string): Refusal | undefined {
  const { deployment, actor } = ctx;
  const { directory } = ctx.context;
  if (actor.id === deployment.engineer || directory.isPlatform(actor.id)) return undefined;
  return refuse(
    'not-allowed',
    `Only the deployment engineer (${directory.nameOf(deployment.engineer)}) or the Platform team${holders(directory, 'platform')} ` +
      `can ${action} for ${deploymentTitle(deployment)}.`,
    statusHint(deployment),
  );
}

/** Nothing acts on a deployment after it went live, was aborted or was cancelled. */
function requireActive(ctx: OnDeployment): Refusal | undefined {
  return ACTIVE_PHASES.includes(ctx.deployment.phase) ? undefined : finished(ctx);
}

function finished(ctx: OnDeployment): Refusal {
  const { deployment } = ctx;
  const { directory } = ctx.context;
  const title = deploymentTitle(deployment);
  const again = () => windowHint(ctx, 'schedule', ownerOf(deployment), ceilToQuarterHour(ctx.now), durationOf(deployment.window));
  const stop = (verb: string, s: DeploymentStop | undefined) =>
    s
      ? `${title} was ${verb} by ${directory.nameOf(s.by)} on ${instantText(ctx, s.at)} (${quoteText(s.reason)}); nothing more happens in it.`
      : `${title} was ${verb}; nothing more happens in it.`;
  if (deployment.phase === 'live') {
    return refuse(
      'deployment-finished',
      `${title} went live on ${instantText(ctx, deployment.phaseAt.live ?? ctx.at)}; nothing more happens in it. ` +
        `Problems found now are filed as bugs in #production-support.`,
      'bug <title>',
    );
  }
  if (deployment.phase === 'aborted') return refuse('deployment-finished', stop('aborted', deployment.aborted), again());
  return refuse('deployment-finished', stop('cancelled', deployment.cancelled), again());
}

const PHASE_ORDER: readonly DeploymentPhase[] = ['scheduled', 'in-progress', 'ready', 'stable', 'live'];

/** Window phases run in order: each step needs the one before it, and happens once. */
function requirePhase(ctx: OnDeployment, needed: DeploymentPhase, step: 'start' | 'ready' | 'stable' | 'smoke' | 'live'): Refusal | undefined {
  const { deployment } = ctx;
  if (deployment.phase === needed) return undefined;
  const title = deploymentTitle(deployment);
  const now = phaseText(ctx, deployment);
  const behind = PHASE_ORDER.indexOf(deployment.phase) < PHASE_ORDER.indexOf(needed);
  const NEEDS: Record<typeof step, string> = {
    start: '',
    ready: 'ready comes after an IRC starts the deployment',
    stable: 'stable comes after the deployment is ready',
    smoke: 'smoke tests come after the environment is confirmed stable',
    live: 'live comes after the environment is confirmed stable and the validators have smoke-tested it',
  };
  const reason = behind ? `${title} is ${now}; ${NEEDS[step]}.` : `${title} is already ${now}.`;
  return refuse('wrong-phase', reason, nextStepHint(deployment));
}

function requirePeople(ctx: Ctx, command: Command<'schedule'>, title: string): Refusal | undefined {
  const { directory } = ctx.context;
  const validators = unique(command.validators);
  const pool = names(directory, directory.validatorPool, 'or');
  // People are picked in the scheduling form, which `schedule deploy` alone opens.
  const retry = 'schedule deploy';
  return firstRefusal(
    () => requireKnownPerson(ctx, command.engineer, 'The deployment engineer', retry),
    () =>
      validators.length === 0
        ? refuse('missing-input', `${title} needs at least one validator to smoke-test it; the pool is ${pool}.`, retry)
        : undefined,
    ...validators.map((id) => () => requireKnownPerson(ctx, id, 'Validator', retry)),
    () => {
      const outside = validators.filter((id) => !directory.isValidator(id));
      if (outside.length === 0) return undefined;
      const are = outside.length > 1 ? 'are' : 'is';
      return refuse('not-a-validator', `${names(directory, outside, 'and')} ${are} not in the validator pool; validators are picked from ${pool}.`, retry);
    },
    () =>
      validators.includes(command.engineer)
        ? refuse(
            'invalid-input',
            `${directory.nameOf(command.engineer)} is the deployment engineer, so can't also validate: validators check the engineer's work.`,
            retry,
          )
        : undefined,
  );
}

function requireKnownPerson(ctx: Ctx, personId: string, role: string, hint: string): Refusal | undefined {
  if (isBlank(personId)) return refuse('missing-input', `${role} is missing; name a person.`, hint);
  if (ctx.context.directory.isKnown(personId)) return undefined;
  return refuse('unknown-person', `${role} ${quoteText(personId)} is not someone the bot knows; people are listed in its config.`, hint);
}

/** Length, future start, business hours unless hotfix, no overlap with the environment's other deployments. */
function checkWindow(ctx: Ctx, input: WindowInput, owner: WindowOwner, freezeOverride?: string, overridden: readonly string[] = []): Refusal | undefined {
  const { context } = ctx;
  const [from, to] = [input.start.getTime(), input.end.getTime()];
  const title = titleOf(owner.version, owner.environment);
  if (Number.isNaN(from) || Number.isNaN(to)) {
    return refuse('invalid-input', `The window for ${title} has no valid start or end.`, windowHint(ctx, owner.verb, owner, undefined, 90 * MINUTE));
  }
  const duration = to - from;
  const minutes = Math.round(duration / MINUTE);
  const shown = () => formatWindow(input.start, input.end, context.timeZone);
  if (duration <= 0) {
    return refuse('window-length', `The window for ${title} ends before it starts.`, windowHint(ctx, owner.verb, owner, from, 90 * MINUTE));
  }
  if (minutes < MIN_WINDOW_MINUTES || minutes > MAX_WINDOW_MINUTES) {
    const fitted = Math.min(Math.max(minutes, MIN_WINDOW_MINUTES), MAX_WINDOW_MINUTES) * MINUTE;
    return refuse(
      'window-length',
      `A deployment window runs ${MIN_WINDOW_MINUTES} minutes to ${MAX_WINDOW_MINUTES / 60} hours; ${shown()} is ${durationText(minutes)}.`,
      windowHint(ctx, owner.verb, owner, from, fitted),
    );
  }
  if (from <= ctx.now) {
    return refuse(
      'window-in-past',
      `A window must start in the future; ${shown()} starts before now (${formatZoned(new Date(ctx.now), context.timeZone)}).`,
      windowHint(ctx, owner.verb, owner, ceilToQuarterHour(ctx.now), duration),
    );
  }
  if (!owner.hotfix) {
    const period = overlapsBusinessHours(input, context.businessHours, context.timeZone);
    if (period) {
      return refuse(
        'in-business-hours',
        `${owner.version} is not a hotfix, so its window may not overlap business hours: ${shown()} overlaps ${period.description}. ` +
          `Only hotfixes deploy during business hours.`,
        windowHint(ctx, owner.verb, owner, from, duration),
      );
    }
  }
  const locked = checkLock(ctx, owner, from, to, owner.verb);
  if (locked) return locked;
  const frozen = checkFreezes(ctx, owner, from, to, owner.verb, freezeOverride, overridden);
  if (frozen) return frozen;
  const clash = conflictsWith(context, owner, from, to)[0];
  if (clash) {
    return refuse(
      'window-conflict',
      `${owner.environment.name} already has ${deploymentTitle(clash)} (${clash.phase}) in ${windowText(ctx, clash.window)}, ` +
        `which overlaps ${shown()}; two deployments to one environment may not overlap.`,
      windowHint(ctx, owner.verb, owner, from, duration),
    );
  }
  return undefined;
}

/** A refusal when someone other than the actor holds the environment's lock over [from, to); a lock ends by itself at `until`. */
function checkLock(ctx: Ctx, owner: WindowOwner, from: number, to: number, verb: 'schedule' | 'reschedule' | 'start'): Refusal | undefined {
  const { context } = ctx;
  const lock = lockInForce(context.lock, new Date(ctx.now));
  if (!lock || lock.holder === ctx.actor.id || !(from < Date.parse(lock.until) && Date.parse(lock.at) < to)) return undefined;
  const title = titleOf(owner.version, owner.environment);
  const what = verb === 'start' ? `Starting ${title}` : verb === 'schedule' ? `Scheduling ${title} in ${formatWindow(new Date(from), new Date(to), context.timeZone)}` : `Moving ${title} to ${formatWindow(new Date(from), new Date(to), context.timeZone)}`;
  const hint =
    verb === 'start'
      ? windowHint(ctx, 'reschedule', owner, Date.parse(lock.until), to - from)
      : windowHint(ctx, verb, owner, Math.max(from, Date.parse(lock.until)), to - from, true);
  return lockRefusal(lock, what, owner.environment.name, context.timeZone, (id) => context.directory.nameOf(id), hint);
}

/** A refusal when a freeze holds [from, to) back for the owner's environment (hotfixes pass freezes that let them). */
function checkFreezes(
  ctx: Ctx,
  owner: WindowOwner,
  from: number,
  to: number,
  verb: 'schedule' | 'reschedule' | 'start',
  freezeOverride: string | undefined,
  overridden: readonly string[],
): Refusal | undefined {
  const { context } = ctx;
  const freeze = blockingFreezes(context.freezes ?? [], { environment: owner.environment.key, hotfix: owner.hotfix, from, to, overridden })[0];
  // An IRC's override with a reason lets it through (only IRCs schedule and start); freezeOverrides records it.
  if (!freeze || present(freezeOverride)) return undefined;
  const duration = to - from;
  const title = titleOf(owner.version, owner.environment);
  const what = verb === 'start' ? `Starting ${title} now (${formatWindow(new Date(from), new Date(to), context.timeZone)})` : `${title} (${formatWindow(new Date(from), new Date(to), context.timeZone)})`;
  const hintVerb = verb === 'schedule' ? 'schedule' : 'reschedule';
  const after = windowHint(ctx, hintVerb, owner, Math.max(from, Date.parse(freeze.to)), duration, true);
  const people = hintVerb === 'schedule' ? (owner.people ?? '') : '';
  const asked = verb === 'start' ? 'start' : `${hintVerb} deploy ${owner.version} to ${quoteName(owner.environment.name)} at ${formatLocalDateTime(new Date(from), context.timeZone)} for ${Math.round(duration / MINUTE)}m${people}`;
  const override = `${asked} override freeze <reason>`;
  return freezeRefusal(freeze, what, owner.environment.name, { after, override }, context.timeZone, (id) => context.directory.nameOf(id));
}

/** The freezes an IRC's override lets [from, to) through, as events; none without an override; a refusal for an override nothing needed. */
function freezeOverrides(
  ctx: Ctx,
  owner: WindowOwner,
  from: number,
  to: number,
  freezeOverride: string | undefined,
  during: 'schedule' | 'reschedule' | 'start',
  overridden: readonly string[],
): readonly DeploymentEvent[] | Refusal {
  const reason = present(freezeOverride);
  if (!reason) return [];
  const blocking = blockingFreezes(ctx.context.freezes ?? [], { environment: owner.environment.key, hotfix: owner.hotfix, from, to, overridden });
  if (blocking.length === 0) {
    return refuse(
      'invalid-input',
      `No freeze holds ${titleOf(owner.version, owner.environment)} back at that time, so there is nothing to override; leave out "override freeze".`,
      during === 'start' ? 'start' : windowHint(ctx, during, owner, from, to - from),
    );
  }
  return blocking.map((freeze) => ({ ...stamp(ctx), type: 'freezeOverridden' as const, freeze: freeze.name, from: freeze.from, to: freeze.to, reason, during }));
}

function overriddenOf(deployment: DeploymentState): string[] {
  return (deployment.freezeOverrides ?? []).map((o) => o.freeze);
}

/** Active deployments to the owner's environment, other than the owner, whose windows overlap [from, to). */
function conflictsWith(context: DeploymentContext, owner: WindowOwner, from: number, to: number): DeploymentState[] {
  return (context.otherDeployments ?? []).filter((other) => {
    if (other.id === owner.id || other.environment.key !== owner.environment.key || !isActiveDeployment(other)) return false;
    const window = windowMs(other.window);
    return window.start < to && from < window.end;
  });
}

/**
 * The earliest start at or after `from` for a window of `duration` that passes the business-hours
 * (unless hotfix) and overlap rules; undefined if none within a year.
 */
function suggestStart(context: DeploymentContext, owner: WindowOwner, from: number, duration: number): number | undefined {
  let start = from;
  for (let attempt = 0; attempt < 1000; attempt++) {
    const window = { start: new Date(start), end: new Date(start + duration) };
    const period = owner.hotfix ? undefined : overlapsBusinessHours(window, context.businessHours, context.timeZone);
    if (period) {
      start = period.end.getTime();
      continue;
    }
    const clashes = conflictsWith(context, owner, start, start + duration);
    if (clashes.length > 0) {
      start = Math.max(...clashes.map((clash) => windowMs(clash.window).end));
      continue;
    }
    const lock = lockInForce(context.lock, new Date(from));
    if (lock && start < Date.parse(lock.until)) {
      start = Date.parse(lock.until);
      continue;
    }
    const frozen = blockingFreezes(context.freezes ?? [], { environment: owner.environment.key, hotfix: owner.hotfix, from: start, to: start + duration });
    if (frozen.length > 0) {
      start = Math.max(...frozen.map((freeze) => Date.parse(freeze.to)));
      continue;
    }
    return start;
  }
  return undefined;
}

/** `schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 18:00 for 90m`, at the first start that fits. */
function windowHint(ctx: Ctx, verb: WindowOwner['verb'], owner: WindowOwner, from: number | undefined, duration: number, withPeople = false): string {
  const { context } = ctx;
  const earliest = Math.max(from ?? ctx.now, ceilToQuarterHour(ctx.now));
  const start = suggestStart(context, owner, earliest, duration);
  const at = start === undefined ? '<YYYY-MM-DD HH:MM>' : formatLocalDateTime(new Date(start), context.timeZone);
  return `${verb} deploy ${owner.version} to ${quoteName(owner.environment.name)} at ${at} for ${Math.round(duration / MINUTE)}m${withPeople && verb === 'schedule' ? (owner.people ?? '') : ''}`;
}

// ---- events → state -------------------------------------------------------------------------

/** Folds one event into the state; every event bumps the revision by one. The first event must be `deploymentScheduled`. */
export function evolve(state: DeploymentState | undefined, event: DeploymentEvent): DeploymentState {
  if (event.type === 'deploymentScheduled') {
    return {
      id: event.id,
      version: event.version,
      hotfix: event.hotfix,
      environment: event.environment,
      window: event.window,
      scheduledBy: event.by,
      engineer: event.engineer,
      validators: event.validators,
      phase: 'scheduled',
      phaseAt: { scheduled: event.at },
      smoke: [],
      bugs: [],
      revision: (state?.revision ?? 0) + 1,
    };
  }
  if (!state) throw new BotError('invalid', `A deployment's history must begin with deploymentScheduled, not ${event.type}.`);
  return { ...applyEvent(state, event), revision: state.revision + 1 };
}

/** Rebuilds a deployment from its event history; undefined for an empty history. */
export function replayDeployment(events: readonly DeploymentEvent[]): DeploymentState | undefined {
  return events.reduce<DeploymentState | undefined>(evolve, undefined);
}

function applyEvent(state: DeploymentState, event: Exclude<DeploymentEvent, { type: 'deploymentScheduled' }>): DeploymentState {
  switch (event.type) {
    case 'deploymentRescheduled': {
      const { onCall: _voided, ...rest } = state;
      return { ...rest, window: event.window };
    }
    case 'deploymentCancelled':
      return { ...enter(state, 'cancelled', event.at), cancelled: { reason: event.reason, by: event.by, at: event.at, during: state.phase } };
    case 'onCallConfirmed':
      return { ...state, onCall: { kind: 'confirmed', person: event.person, by: event.by, at: event.at } };
    case 'onCallOverridden':
      return { ...state, onCall: { kind: 'overridden', person: event.person, reason: event.reason, by: event.by, at: event.at } };
    case 'deploymentStarted':
      return enter(state, 'in-progress', event.at);
    case 'deploymentReady':
      return enter(state, 'ready', event.at);
    case 'deploymentStable':
      return enter(state, 'stable', event.at);
    case 'smokeRecorded': {
      const result: SmokeResult = { validator: event.by, result: event.result, notes: event.notes, at: event.at };
      const others = state.smoke.filter((entry) => entry.validator !== event.by);
      const order = (entry: SmokeResult) => state.validators.indexOf(entry.validator);
      return { ...state, smoke: [...others, result].sort((a, b) => order(a) - order(b)) };
    }
    case 'deploymentLive': {
      const entered = enter(state, 'live', event.at);
      return event.override
        ? { ...entered, liveOverride: { reason: event.override.reason, without: event.override.without, by: event.by, at: event.at } }
        : entered;
    }
    case 'deploymentAborted':
      return { ...enter(state, 'aborted', event.at), aborted: { reason: event.reason, by: event.by, at: event.at, during: event.during } };
    case 'meetingRecorded':
      return { ...state, meeting: { joinUrl: event.joinUrl, meetingId: event.meetingId, at: event.at } };
    case 'bugRecorded':
      return { ...state, bugs: [...state.bugs, { title: event.title, ...(event.url ? { url: event.url } : {}), at: event.at, by: event.by }] };
    case 'bugFiled':
      return { ...state, bugs: state.bugs.map((bug, i) => (i === event.bug ? { ...bug, url: event.url, issue: event.issue } : bug)) };
    case 'freezeOverridden':
      return { ...state, freezeOverrides: [...(state.freezeOverrides ?? []), { freeze: event.freeze, reason: event.reason, by: event.by, at: event.at }] };
  }
}

function enter(state: DeploymentState, phase: DeploymentPhase, at: string): DeploymentState {
  return { ...state, phase, phaseAt: { ...state.phaseAt, [phase]: at } };
}

// ---- queries for cards and `status` ---------------------------------------------------------

/** "Deploy 2026.4.0 to BXCI Production", the meeting's title (runbook 3.1). */
export function deploymentTitle(state: Pick<DeploymentState, 'version' | 'environment'>): string {
  return titleOf(state.version, state.environment);
}

/** Scheduled or under way: it holds its environment's window and still takes commands. */
export function isActiveDeployment(state: DeploymentState): boolean {
  return ACTIVE_PHASES.includes(state.phase);
}

export interface SmokeProgress {
  /** Validator ids, in the deployment's validator order. */
  readonly passed: readonly string[];
  readonly failed: readonly string[];
  readonly pending: readonly string[];
}

export function smokeProgress(state: DeploymentState): SmokeProgress {
  const withResult = (result: 'pass' | 'fail' | undefined) => state.validators.filter((id) => smokeOf(state, id)?.result === result);
  return { passed: withResult('pass'), failed: withResult('fail'), pending: withResult(undefined) };
}

/**
 * When the deployment is expected to end: the window's end until it starts, then the start plus
 * the planned duration (the tracker's clock runs against the estimate from the actual start).
 */
export function estimatedEnd(state: DeploymentState): Date {
  const { start, end } = windowMs(state.window);
  const startedAt = state.phaseAt['in-progress'];
  return new Date(startedAt ? Date.parse(startedAt) + (end - start) : end);
}

/**
 * Milliseconds past the estimated end: measured to `now` while under way, to the moment it went
 * live or was aborted once finished; 0 when not over, never started, or cancelled.
 */
export function overrunBy(state: DeploymentState, now: Date): number {
  if (!STARTED_PHASES.includes(state.phase)) return 0;
  const stoppedAt = state.phaseAt.live ?? state.phaseAt.aborted;
  const until = stoppedAt ? Date.parse(stoppedAt) : now.getTime();
  return Math.max(0, until - estimatedEnd(state).getTime());
}

/** What and whom the deployment waits for, one line each, for `status` and the tracker. Empty once finished. */
export function waitingOn(state: DeploymentState | undefined, directory: Directory, timeZone = 'UTC'): readonly string[] {
  const irc = `an IRC${holders(directory, 'irc')}`;
  if (!state) return [`scheduling by ${irc}`];
  const engineerOrPlatform = `the deployment engineer (${directory.nameOf(state.engineer)}) or the Platform team${holders(directory, 'platform')}`;
  switch (state.phase) {
    case 'scheduled': {
      const coverage = state.onCall ? [] : [`on-call coverage confirmed, or overridden with another person, by ${irc}`];
      const opens = formatZoned(new Date(state.window.start), timeZone);
      return [...coverage, `the start, by ${irc}, once the window opens (${opens})`];
    }
    case 'in-progress':
      return [`ready from ${engineerOrPlatform}`];
    case 'ready':
      return [`stable from ${engineerOrPlatform}`];
    case 'stable': {
      const { failed, pending } = smokeProgress(state);
      const lines = failed.map(
        (id) =>
          `${directory.nameOf(id)}'s smoke test failed (${quoteText(smokeOf(state, id)?.notes)}): a pass after a fix, ` +
          `or a live override with a reason by ${irc}`,
      );
      if (pending.length > 0) lines.push(`smoke-test results from ${names(directory, pending, 'and')}`);
      if (lines.length === 0) lines.push(`live from the Platform team${holders(directory, 'platform')}`);
      return lines;
    }
    default:
      return [];
  }
}

/** The domain's DeploymentDirectory: the release Directory plus the configured people and validator pool. */
export function deploymentDirectory(
  directory: Directory,
  people: { readonly known: readonly string[]; readonly validators: readonly string[] },
): DeploymentDirectory {
  const known = new Set(people.known);
  const validatorPool = Object.freeze(unique(people.validators));
  return Object.freeze({
    areas: directory.areas,
    areasLedBy: (personId: string) => directory.areasLedBy(personId),
    isPlatform: (personId: string) => directory.isPlatform(personId),
    isQaLead: (personId: string) => directory.isQaLead(personId),
    isIrc: (personId: string) => directory.isIrc(personId),
    nameOf: (personId: string) => directory.nameOf(personId),
    peopleWith: (role: DirectoryRole) => directory.peopleWith?.(role) ?? [],
    isKnown: (personId: string) => known.has(personId),
    isValidator: (personId: string) => validatorPool.includes(personId),
    validatorPool,
  });
}

// ---- small helpers --------------------------------------------------------------------------

function titleOf(version: string, environment: EnvironmentRef): string {
  return `Deploy ${version} to ${environment.name}`;
}

function ownerOf(deployment: DeploymentState): WindowOwner {
  return { id: deployment.id, version: deployment.version, hotfix: deployment.hotfix, environment: deployment.environment, verb: 'schedule' };
}

function smokeOf(state: DeploymentState, validator: string): SmokeResult | undefined {
  return state.smoke.find((entry) => entry.validator === validator);
}

function notPassed(state: DeploymentState): string[] {
  return state.validators.filter((id) => smokeOf(state, id)?.result !== 'pass');
}

/** "scheduled for …", "in progress since …", "ready since …". */
function phaseText(ctx: OnDeployment, state: DeploymentState): string {
  const since = (phase: DeploymentPhase) => instantText(ctx, state.phaseAt[phase] ?? ctx.at);
  switch (state.phase) {
    case 'scheduled':
      return `scheduled for ${windowText(ctx, state.window)} and not started`;
    case 'in-progress':
      return `in progress since ${since('in-progress')}`;
    default:
      return `${state.phase} since ${since(state.phase)}`;
  }
}

/** The command that moves the deployment on from where it is. */
function nextStepHint(state: DeploymentState): string {
  switch (state.phase) {
    case 'scheduled':
      return state.onCall ? 'start' : 'confirm on-call <person>';
    case 'in-progress':
      return 'ready';
    case 'ready':
      return 'stable';
    case 'stable':
      return notPassed(state).length > 0 ? 'smoke pass <notes>' : 'live';
    default:
      return statusHint(state);
  }
}

function holdsRole(directory: Directory, role: DirectoryRole, personId: string): boolean {
  if (role === 'platform') return directory.isPlatform(personId);
  if (role === 'qaLead') return directory.isQaLead(personId);
  return directory.isIrc(personId);
}

function askRole(directory: Directory, role: DirectoryRole): string {
  const people = (directory.peopleWith?.(role) ?? []).map((id) => directory.nameOf(id));
  return people.length > 0 ? `ask ${listOf(people, 'or')}` : `ask ${ROLE_TITLE[role]}`;
}

/** " (Jake Edgington)" or "" when the directory can't say. */
function holders(directory: Directory, role: DirectoryRole): string {
  const people = (directory.peopleWith?.(role) ?? []).map((id) => directory.nameOf(id));
  return people.length > 0 ? ` (${listOf(people, 'or')})` : '';
}

function names(directory: Directory, ids: readonly string[], conjunction: 'and' | 'or'): string {
  return listOf(ids.map((id) => directory.nameOf(id)), conjunction);
}

function windowText(ctx: Ctx, window: DeploymentWindow): string {
  return formatWindow(new Date(window.start), new Date(window.end), ctx.context.timeZone);
}

function instantText(ctx: Ctx, iso: string): string {
  return formatZoned(new Date(iso), ctx.context.timeZone);
}

function windowMs(window: DeploymentWindow): { start: number; end: number } {
  return { start: Date.parse(window.start), end: Date.parse(window.end) };
}

function durationOf(window: DeploymentWindow): number {
  const { start, end } = windowMs(window);
  return end - start;
}

function isoWindow(window: WindowInput): DeploymentWindow {
  return { start: window.start.toISOString(), end: window.end.toISOString() };
}

function sameWindow(current: DeploymentWindow, next: WindowInput): boolean {
  const { start, end } = windowMs(current);
  return start === next.start.getTime() && end === next.end.getTime();
}

/** Suggested starts fall on a quarter hour: 22:07 → 22:15. */
function ceilToQuarterHour(ms: number): number {
  const quarter = 15 * MINUTE;
  return Math.ceil(ms / quarter) * quarter;
}

function durationText(minutes: number): string {
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const [hours, rest] = [Math.floor(minutes / 60), minutes % 60];
  return `${hours} hour${hours === 1 ? '' : 's'}${rest ? ` ${rest} minute${rest === 1 ? '' : 's'}` : ''}`;
}

function statusHint(state: DeploymentState): string {
  return `status ${state.version}`;
}

function stamp(ctx: Ctx): { at: string; by: string } {
  return { at: ctx.at, by: ctx.actor.id };
}




function requireText(text: string | undefined, reason: string, hint: string): Refusal | undefined {
  return isBlank(text) ? refuse('missing-input', reason, hint) : undefined;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}



function quoteName(name: string): string {
  return `"${name}"`;
}



