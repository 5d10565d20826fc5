import {
  Actor,
  AreaDecision,
  AreaInfo,
  Directory,
  DirectoryRole,
  Outcome,
  Promotion,
  Refusal,
  ReleaseCommand,
  ReleaseEvent,
  ReleaseState,
  RcState,
  ReminderMark,
} from './types';
import { formatZoned } from './business-hours';
import { Decider, decideAndEvolve } from './decider';
import { decidableAreas, decidedBy, deputyMark } from './deputies';
import { formatRc, nextPatchRelease, rcLabel } from './version';
import { firstRefusal, isBlank, isHttpUrl, isRefusal, listOf, present, quoteText, refuse } from './rule-helpers';

// Runbook 1.1–2.2 as a state machine in the domain's one shape (decider.ts): decide(command, state,
// context) -> events, or a Refusal saying why not and what to type instead; evolve(state, event) ->
// state. No I/O; who acts and when come in the context.
//
// Hints are commands as typed inside the RC thread (`approve rc.3`), where approvals happen; a
// command that makes sense anywhere (`rc …`, `status …`) names the full version.

type Command<T extends ReleaseCommand['type']> = Extract<ReleaseCommand, { type: T }>;

interface Context {
  readonly release: ReleaseState;
  readonly actor: Actor;
  readonly at: string;
  readonly directory: Directory;
  /** IANA zone the times in refusals are shown in; UTC when none is given. */
  readonly timeZone?: string;
}

type Decided = readonly ReleaseEvent[] | Refusal;
type DecisionVerb = 'approve' | 'reject' | 'revoke';

/** A release nobody has cut an RC of yet; `replay` starts from here. */
export function emptyRelease(version: string): ReleaseState {
  return { version, rcs: [], revision: 0 };
}

/** Everything a release decision needs besides the release itself. */
export interface ReleaseContext {
  readonly actor: Actor;
  readonly now: Date;
  /** Who leads which area, who is Platform, QA lead, IRC (with the deputies in force at `now`). */
  readonly directory: Directory;
  /** The release the command is for; names it while there is no state yet. */
  readonly version: string;
  /** IANA zone the times in refusals are shown in; UTC when none is given. */
  readonly timeZone?: string;
}

/** Decides one command: the events it causes, or a refusal saying why not. Undefined state: nothing cut yet. */
export function decide(command: ReleaseCommand, state: ReleaseState | undefined, context: ReleaseContext): readonly ReleaseEvent[] | Refusal {
  const { actor, now, directory, version, timeZone } = context;
  return decideEvents({ release: state ?? emptyRelease(version), actor, at: now.toISOString(), directory, timeZone }, command);
}

/** The release state machine in the domain's one shape (domain/decider.ts). */
export const releaseDecider: Decider<ReleaseCommand, ReleaseState, ReleaseEvent, ReleaseContext> = { decide, evolve };

/** Decides one command and folds its events: the new state with them, or the refusal. */
export function decideRelease(command: ReleaseCommand, state: ReleaseState | undefined, context: ReleaseContext): Outcome {
  return decideAndEvolve(releaseDecider, command, state ?? emptyRelease(context.version), context);
}

function decideEvents(ctx: Context, command: ReleaseCommand): Decided {
  if (!Number.isInteger(command.rc) || command.rc < 1) {
    return refuse('invalid-input', `rc.${command.rc} is not an RC number; RCs are numbered from rc.1.`, statusHint(ctx));
  }
  if (command.type !== 'cutRc' && ctx.release.rcs.length === 0) return noRelease(ctx);
  switch (command.type) {
    case 'cutRc':
      return cutRc(ctx, command);
    case 'recordQa':
      return recordQa(ctx, command);
    case 'approve':
      return approve(ctx, command);
    case 'reject':
      return reject(ctx, command);
    case 'revoke':
      return revoke(ctx, command);
    case 'recordThread':
      return recordThread(ctx, command);
    case 'promote':
      return promote(ctx, command);
  }
}

// ---- commands -------------------------------------------------------------------------------

function cutRc(ctx: Context, command: Command<'cutRc'>): Decided {
  const refusal = firstRefusal(
    () => requireRole(ctx, 'platform', `cut an RC of ${ctx.release.version}`),
    () => (ctx.release.promotion ? alreadyPromoted(ctx, ctx.release.promotion, cutHotfixHint(ctx.release.version)) : undefined),
    () => requireNewRcNumber(ctx, command),
    () => requireHttpUrl(command.contents.notesUrl, cutHint(ctx.release.version, command.rc, command.hotfix)),
  );
  if (refusal) return refusal;
  const cut: ReleaseEvent = { ...stamp(ctx, command.rc), type: 'rcCut', hotfix: command.hotfix, contents: command.contents };
  const previous = openRc(ctx.release);
  if (!previous) return [cut];
  const superseded: ReleaseEvent = {
    ...stamp(ctx, previous.number),
    type: 'rcSuperseded',
    supersededBy: command.rc,
    voidedAreas: Object.keys(previous.decisions),
  };
  return [superseded, cut];
}

/** The RC's root post went out: recorded once (a retried delivery finds it recorded and changes nothing). */
function recordThread(ctx: Context, command: Command<'recordThread'>): Decided {
  const rc = rcNumbered(ctx.release, command.rc);
  if (!rc) return refuse('unknown-rc', `There is no ${rcLabel(command.rc)} of ${ctx.release.version} to post a thread for.`, statusHint(ctx));
  if (rc.root) return [];
  return [{ type: 'rcThreadPosted', rc: command.rc, at: ctx.at, by: ctx.actor.id, thread: command.thread }];
}

function recordQa(ctx: Context, command: Command<'recordQa'>): Decided {
  const retry = (rc: number) => `qa ${command.result} ${rcLabel(rc)} <summary or link>`;
  const notQaLead = requireRole(ctx, 'qaLead', `record QA results for ${ctx.release.version}`);
  if (notQaLead) return notQaLead;
  const rc = openRcNumbered(ctx, command.rc, { verb: 'record QA for', hint: retry });
  if (isRefusal(rc)) return rc;
  if (isBlank(command.summary)) {
    return refuse(
      'missing-input',
      `QA results for ${rcLabel(rc.number)} need a link or a short summary of the regression run.`,
      retry(rc.number),
    );
  }
  return [{ ...stamp(ctx, rc.number), type: 'qaRecorded', result: command.result, summary: command.summary.trim() }];
}

function approve(ctx: Context, command: Command<'approve'>): Decided {
  const notLead = requireLead(ctx, 'approve');
  if (notLead) return notLead;
  const rc = openRcNumbered(ctx, command.rc, { verb: 'approve', hint: (n) => `approve ${rcLabel(n)}` });
  if (isRefusal(rc)) return rc;
  const area = resolveArea(ctx, rc, command.area, 'approve');
  if (isRefusal(area)) return area;
  const existing = rc.decisions[area.key];
  if (existing?.decision === 'approved') {
    return refuse(
      'already-decided',
      `${capitalise(who(ctx, existing.by))} already approved ${rcLabel(rc.number)} for ${area.name} on ${formatInstant(ctx, existing.at)}.`,
      statusHint(ctx),
    );
  }
  if (existing?.decision === 'rejected') {
    return refuse(
      'rejected-blocks',
      `${capitalise(whose(ctx, existing.by))} rejection of ${rcLabel(rc.number)} for ${area.name} stands ` +
        `(${quoteText(existing.reason)}, ${formatInstant(ctx, existing.at)}). Revoke it first, then approve.`,
      areaCommand(ctx, 'revoke', rc.number, area),
    );
  }
  return [{ ...stamp(ctx, rc.number), type: 'approved', area: area.key, ...deputyMark(ctx.directory, ctx.actor.id, area), ...commentOf(command) }];
}

function reject(ctx: Context, command: Command<'reject'>): Decided {
  const notLead = requireLead(ctx, 'reject');
  if (notLead) return notLead;
  const rc = openRcNumbered(ctx, command.rc, { verb: 'reject', hint: (n) => `reject ${rcLabel(n)} <reason>` });
  if (isRefusal(rc)) return rc;
  const area = resolveArea(ctx, rc, command.area, 'reject');
  if (isRefusal(area)) return area;
  const existing = rc.decisions[area.key];
  if (existing?.decision === 'approved') {
    return refuse(
      'already-decided',
      `${capitalise(who(ctx, existing.by))} approved ${rcLabel(rc.number)} for ${area.name} on ${formatInstant(ctx, existing.at)}. ` +
        `To reject it, revoke that approval first, then reject.`,
      areaCommand(ctx, 'revoke', rc.number, area),
    );
  }
  if (existing?.decision === 'rejected') {
    return refuse(
      'already-decided',
      `${capitalise(who(ctx, existing.by))} already rejected ${rcLabel(rc.number)} for ${area.name} on ${formatInstant(ctx, existing.at)} ` +
        `(${quoteText(existing.reason)}). To change the reason, revoke and reject again.`,
      areaCommand(ctx, 'revoke', rc.number, area),
    );
  }
  if (isBlank(command.reason)) {
    return refuse(
      'missing-input',
      `A rejection of ${rcLabel(rc.number)} needs a reason, so the Platform team knows what to fix.`,
      `${areaCommand(ctx, 'reject', rc.number, area)} <reason>`,
    );
  }
  return [{ ...stamp(ctx, rc.number), type: 'rejected', area: area.key, reason: command.reason.trim(), ...deputyMark(ctx.directory, ctx.actor.id, area) }];
}

function revoke(ctx: Context, command: Command<'revoke'>): Decided {
  const notLead = requireLead(ctx, 'revoke');
  if (notLead) return notLead;
  const rc = openRcNumbered(ctx, command.rc, {
    verb: 'revoke',
    hint: () => statusHint(ctx),
    superseded: (old, current) =>
      `${old} was superseded by ${current}, which voided every approval and rejection on ${old}; there is nothing left to revoke there.`,
  });
  if (isRefusal(rc)) return rc;
  const area = resolveArea(ctx, rc, command.area, 'revoke');
  if (isRefusal(area)) return area;
  const existing = rc.decisions[area.key];
  if (!existing) {
    return refuse(
      'nothing-to-revoke',
      `There is no approval or rejection of ${rcLabel(rc.number)} for ${area.name} to revoke.`,
      areaCommand(ctx, 'approve', rc.number, area),
    );
  }
  return [{ ...stamp(ctx, rc.number), type: 'revoked', area: area.key, revokedDecision: existing.decision, ...deputyMark(ctx.directory, ctx.actor.id, area), ...commentOf(command) }];
}

/** `{ comment }` when the person wrote one with the decision; nothing for none or only spaces. */
function commentOf(command: { readonly comment?: string }): { comment?: string } {
  const comment = command.comment?.trim();
  return comment ? { comment } : {};
}

function promote(ctx: Context, command: Command<'promote'>): Decided {
  const promoteHint = (rc: number) => `promote ${rcLabel(rc)} https://…`;
  const notPlatform = requireRole(ctx, 'platform', `promote an RC of ${ctx.release.version}`);
  if (notPlatform) return notPlatform;
  const rc = openRcNumbered(ctx, command.rc, { verb: 'promote', hint: (n) => `promote ${rcLabel(n)}` });
  if (isRefusal(rc)) return rc;
  const blockers = approvalBlockers(ctx);
  if (blockers.length > 0) {
    return refuse('approvals-missing', `${rcLabel(rc.number)} can't be promoted yet: ${blockers.join('; ')}.`, statusHint(ctx));
  }
  const notesUrl = present(command.notesUrl) ?? present(rc.contents.notesUrl);
  if (!notesUrl) {
    return refuse(
      'missing-input',
      `Promotion needs a release-notes link, and ${rcLabel(rc.number)} was cut without one. Give it with the promote command.`,
      promoteHint(rc.number),
    );
  }
  const badUrl = requireHttpUrl(notesUrl, promoteHint(rc.number));
  if (badUrl) return badUrl;
  return [{ ...stamp(ctx, rc.number), type: 'promoted', notesUrl }];
}

// ---- rule checks ----------------------------------------------------------------------------

const ROLE_TITLE: Readonly<Record<DirectoryRole, string>> = {
  platform: 'the Platform team',
  qaLead: 'the QA lead',
  irc: 'an IRC',
};

function holdsRole(directory: Directory, role: DirectoryRole, personId: string): boolean {
  if (role === 'platform') return directory.isPlatform(personId);
  if (role === 'qaLead') return directory.isQaLead(personId);
  return directory.isIrc(personId);
}

function requireRole(ctx: Context, role: DirectoryRole, action: string): Refusal | undefined {
  if (holdsRole(ctx.directory, role, ctx.actor.id)) return undefined;
  const holders = (ctx.directory.peopleWith?.(role) ?? []).map((id) => ctx.directory.nameOf(id));
  const ask = holders.length > 0 ? `ask ${listOf(holders, 'or')}` : `ask ${ROLE_TITLE[role]}`;
  return refuse('not-allowed', `Only ${ROLE_TITLE[role]} can ${action} — ${ask}.`, statusHint(ctx));
}

function requireNewRcNumber(ctx: Context, command: Command<'cutRc'>): Refusal | undefined {
  const { release } = ctx;
  const newest = currentRc(release);
  if (!newest) return undefined;
  const next = newest.number + 1;
  const hint = cutHint(release.version, next, command.hotfix);
  const existing = rcNumbered(release, command.rc);
  if (existing) {
    return refuse(
      'rc-exists',
      `${formatRc(release.version, command.rc)} already exists (cut by ${ctx.directory.nameOf(existing.cutBy)} on ` +
        `${formatInstant(ctx, existing.cutAt)}). The next RC is ${rcLabel(next)}.`,
      hint,
    );
  }
  if (command.rc < newest.number) {
    return refuse(
      'rc-out-of-order',
      `${rcLabel(command.rc)} comes before ${rcLabel(newest.number)}, the newest RC of ${release.version}; RCs only move forward. ` +
        `The next RC is ${rcLabel(next)}.`,
      hint,
    );
  }
  return undefined;
}

interface RcAction {
  /** "approve" → "rc.2 was superseded by rc.3 — approve rc.3 instead." */
  readonly verb: string;
  readonly hint: (current: number) => string;
  readonly superseded?: (old: string, current: string) => string;
}

/** The RC a command names, if it is the current open one; decisions and promotion act on no other. */
function openRcNumbered(ctx: Context, number: number, action: RcAction): RcState | Refusal {
  const { release } = ctx;
  const current = currentRc(release);
  if (!current) return noRelease(ctx);
  if (release.promotion) return alreadyPromoted(ctx, release.promotion, statusHint(ctx));
  const rc = rcNumbered(release, number);
  const [asked, now] = [rcLabel(number), rcLabel(current.number)];
  if (!rc) {
    return refuse('unknown-rc', `${release.version} has no ${asked}; the current RC is ${now}.`, action.hint(current.number));
  }
  if (rc.status !== 'open') {
    const reason = action.superseded?.(asked, now) ?? `${asked} was superseded by ${now} — ${action.verb} ${now} instead.`;
    return refuse('rc-not-current', reason, action.hint(current.number));
  }
  return rc;
}

/**
 * The area this lead acts for on this RC: the one they name, else the one they already decided on
 * this RC (a person fills one area per RC), else their only area.
 */
function requireLead(ctx: Context, verb: DecisionVerb): Refusal | undefined {
  const { directory, actor } = ctx;
  if (decidableAreas(directory, actor.id).length > 0) return undefined;
  return refuse(
    'not-allowed',
    `Only an area's lead can ${verb} an RC of ${ctx.release.version}, and you lead no area. Leads: ${leadsList(directory)}.`,
    statusHint(ctx),
  );
}

function resolveArea(ctx: Context, rc: RcState, requested: string | undefined, verb: DecisionVerb): AreaInfo | Refusal {
  const { directory, actor } = ctx;
  const led = decidableAreas(directory, actor.id);
  const area = requested === undefined ? inferArea(ctx, rc, led, verb) : namedArea(ctx, rc, requested, led, verb);
  if (isRefusal(area)) return area;
  return verb === 'revoke' ? area : (requireAreaFree(ctx, rc, area) ?? area);
}

function inferArea(ctx: Context, rc: RcState, led: readonly AreaInfo[], verb: DecisionVerb): AreaInfo | Refusal {
  const decided = led.find((area) => rc.decisions[area.key]?.by === ctx.actor.id);
  if (decided) return decided;
  if (led.length === 1) return led[0];
  if (verb === 'revoke') {
    return refuse('nothing-to-revoke', `You have no approval or rejection of ${rcLabel(rc.number)} to revoke.`, statusHint(ctx));
  }
  return refuse(
    'area-ambiguous',
    `You lead ${listOf(led.map((area) => area.name), 'and')}; say which area you ${verb} ${rcLabel(rc.number)} for ` +
      `(one person fills one area per RC).`,
    `${verb} ${rcLabel(rc.number)} for ${led[0].key}${verb === 'reject' ? ' <reason>' : ''}`,
  );
}

function namedArea(
  ctx: Context,
  rc: RcState,
  requested: string,
  led: readonly AreaInfo[],
  verb: DecisionVerb,
): AreaInfo | Refusal {
  const { directory } = ctx;
  const wanted = requested.trim().toLowerCase();
  const area = directory.areas.find((a) => a.key.toLowerCase() === wanted || a.name.toLowerCase() === wanted);
  const yours = listOf(led.map((a) => a.name), 'and');
  if (!area) {
    return refuse(
      'invalid-input',
      `There is no area called ${quoteText(requested)}. The areas are ${listOf(directory.areas.map((a) => a.name), 'and')}; you lead ${yours}.`,
      areaCommand(ctx, verb, rc.number, led[0]),
    );
  }
  if (!led.includes(area)) {
    return refuse(
      'not-allowed',
      `${area.name} is decided by its lead, ${directory.nameOf(area.leadId)}; you lead ${yours}.`,
      areaCommand(ctx, verb, rc.number, led[0]),
    );
  }
  return area;
}

function requireAreaFree(ctx: Context, rc: RcState, area: AreaInfo): Refusal | undefined {
  const swapped = requireNoSwap(ctx, rc, area);
  if (swapped) return swapped;
  const other = ctx.directory.areas.find((a) => a.key !== area.key && rc.decisions[a.key]?.by === ctx.actor.id);
  const decision = other && rc.decisions[other.key];
  if (!other || !decision) return undefined;
  return refuse(
    'area-taken',
    `You already ${decision.decision} ${rcLabel(rc.number)} for ${other.name}; one person fills at most one area per RC, ` +
      `so ${area.name} needs its decision from someone else. To switch areas, revoke ${other.name} first.`,
    areaCommand(ctx, 'revoke', rc.number, other),
  );
}

/**
 * A deputy never decides an area whose lead is deciding another area as theirs on the same RC: two
 * leads standing in for each other would each fill the other's area, and neither area would have
 * been decided by anyone but the other's lead.
 */
function requireNoSwap(ctx: Context, rc: RcState, area: AreaInfo): Refusal | undefined {
  const { directory, actor } = ctx;
  const lead = deputyMark(directory, actor.id, area).deputyFor;
  if (!lead) return undefined;
  const asYours = directory.areas.find((a) => a.key !== area.key && rc.decisions[a.key]?.by === lead && rc.decisions[a.key]?.deputyFor === actor.id);
  if (!asYours) return undefined;
  return refuse(
    'area-taken',
    `${directory.nameOf(lead)} already decided ${asYours.name} on ${rcLabel(rc.number)} as your deputy, so you can't decide ${area.name} ` +
      `as theirs: a deputy never decides an area whose lead is deciding another area as them. ${area.name} needs ${directory.nameOf(lead)} ` +
      `(or another deputy), or ${directory.nameOf(lead)} revokes ${asYours.name} first.`,
    statusHint(ctx),
  );
}

function requireHttpUrl(url: string | undefined, hint: string): Refusal | undefined {
  if (url === undefined || isBlank(url) || isHttpUrl(url)) return undefined;
  return refuse('invalid-input', `${quoteText(url)} is not a web link; release notes need an http(s) URL.`, hint);
}

function alreadyPromoted(ctx: Context, promotion: Promotion, hint: string): Refusal {
  const { release, directory } = ctx;
  const fix = nextPatchRelease(release.version);
  return refuse(
    'already-promoted',
    `${release.version} was already promoted from ${rcLabel(promotion.rc)} by ${directory.nameOf(promotion.by)} on ` +
      `${formatInstant(ctx, promotion.at)}; a release is promoted once.` +
      (fix ? ` For further changes cut a hotfix (${fix}) or a new release.` : ''),
    hint,
  );
}

function noRelease(ctx: Context): Refusal {
  const { version } = ctx.release;
  return refuse(
    'no-release',
    `No RC of ${version} has been cut yet; the Platform team starts a release by cutting ${formatRc(version, 1)}.`,
    `rc ${formatRc(version, 1)}`,
  );
}

// ---- events → state -------------------------------------------------------------------------

/** Folds one event into the state; every event bumps the revision by one. */
export function evolve(state: ReleaseState, event: ReleaseEvent): ReleaseState {
  return { ...applyEvent(state, event), revision: state.revision + 1 };
}

/** Rebuilds a release from its event history. */
export function replay(version: string, events: readonly ReleaseEvent[]): ReleaseState {
  return events.reduce(evolve, emptyRelease(version));
}

function applyEvent(state: ReleaseState, event: ReleaseEvent): ReleaseState {
  switch (event.type) {
    case 'rcCut':
      return {
        ...state,
        rcs: [...state.rcs, newRc(event)].sort((a, b) => a.number - b.number),
      };
    case 'rcSuperseded':
      return updateRc(state, event.rc, (rc) => ({ ...rc, status: 'superseded', supersededBy: event.supersededBy }));
    case 'qaRecorded':
      return updateRc(state, event.rc, (rc) => ({
        ...rc,
        qa: { result: event.result, summary: event.summary, by: event.by, at: event.at },
      }));
    case 'approved':
      return setDecision(state, event.rc, event.area, { decision: 'approved', by: event.by, at: event.at, ...deputyOf(event) });
    case 'rejected':
      return setDecision(state, event.rc, event.area, { decision: 'rejected', by: event.by, at: event.at, reason: event.reason, ...deputyOf(event) });
    case 'revoked':
      return setDecision(state, event.rc, event.area, undefined);
    case 'promoted':
      return {
        ...updateRc(state, event.rc, (rc) => ({ ...rc, status: 'promoted' })),
        promotion: { rc: event.rc, by: event.by, at: event.at, notesUrl: event.notesUrl },
      };
    case 'leadReminded':
    case 'leadUnreachable':
      return updateRc(state, event.rc, (rc) => recordReminder(rc, event));
    case 'rcThreadPosted':
      return updateRc(state, event.rc, (rc) => ({ ...rc, root: event.thread }));
  }
}

function deputyOf(event: { readonly deputyFor?: string }): { deputyFor?: string } {
  return event.deputyFor ? { deputyFor: event.deputyFor } : {};
}

function newRc(event: Extract<ReleaseEvent, { type: 'rcCut' }>): RcState {
  return {
    number: event.rc,
    hotfix: event.hotfix,
    cutBy: event.by,
    cutAt: event.at,
    contents: event.contents,
    status: 'open',
    decisions: {},
  };
}

function updateRc(state: ReleaseState, number: number, change: (rc: RcState) => RcState): ReleaseState {
  return { ...state, rcs: state.rcs.map((rc) => (rc.number === number ? change(rc) : rc)) };
}

function setDecision(state: ReleaseState, number: number, area: string, decision: AreaDecision | undefined): ReleaseState {
  return updateRc(state, number, (rc) => {
    const { [area]: _replaced, ...others } = rc.decisions;
    return { ...rc, decisions: decision ? { ...others, [area]: decision } : others };
  });
}

// ---- queries for cards and `status` ---------------------------------------------------------

/** The newest RC (open, or the promoted one once the release is promoted). */
export function currentRc(state: ReleaseState | undefined): RcState | undefined {
  return state?.rcs[state.rcs.length - 1];
}

export function rcNumbered(state: ReleaseState | undefined, number: number): RcState | undefined {
  return state?.rcs.find((rc) => rc.number === number);
}

export interface ApprovalProgress {
  /** Area keys, in the directory's display order. */
  readonly approved: readonly string[];
  readonly rejected: readonly string[];
  readonly pending: readonly string[];
}

/** Where each configured area stands on one RC (a superseded RC keeps its now-void decisions). */
export function approvalProgress(state: ReleaseState | undefined, rc: number, directory: Directory): ApprovalProgress {
  const decisions = rcNumbered(state, rc)?.decisions ?? {};
  const keysWith = (decision: AreaDecision['decision'] | undefined) =>
    directory.areas.filter((area) => decisions[area.key]?.decision === decision).map((area) => area.key);
  return { approved: keysWith('approved'), rejected: keysWith('rejected'), pending: keysWith(undefined) };
}

/** True when the current RC is open and every configured area approved it. Notes links are checked at promotion. */
export function canPromote(state: ReleaseState | undefined, directory: Directory): boolean {
  const rc = openRc(state);
  return rc !== undefined && directory.areas.every((area) => rc.decisions[area.key]?.decision === 'approved');
}

/** One thing the release waits for, and on whom (person ids). */
export type Awaited =
  | { readonly kind: 'firstRc'; readonly who: readonly string[] }
  | { readonly kind: 'newRc'; readonly rc: number; readonly who: readonly string[] }
  | { readonly kind: 'qa'; readonly rc: number; readonly who: readonly string[] }
  /** A rejection blocks until `by` (or their deputy) revokes it, or a new RC is cut. */
  | { readonly kind: 'revoke'; readonly rc: number; readonly area: AreaInfo; readonly by: string; readonly reason: string }
  /**
   * An area still to decide, by `decider`: the deputy standing in for an away lead when the rules
   * let them decide it (then `deputyFor` is the lead), else the lead. `filledElsewhere`: the lead
   * already decided that other area on this RC, so this one needs someone else.
   */
  | { readonly kind: 'approval'; readonly rc: number; readonly area: AreaInfo; readonly decider: string; readonly deputyFor?: string; readonly filledElsewhere?: AreaInfo }
  | { readonly kind: 'promotion'; readonly rc: number; readonly who: readonly string[] };

export interface WaitingContext {
  /** With the deputies in force at `now` (deputies.ts `withDeputies`), so a deputy is named for an away lead. */
  readonly directory: Directory;
  /** When the question is asked; the RC's cut time when not given. */
  readonly now?: Date;
}

/**
 * What the release waits for and on whom, in order: the QA result, each area (a rejection to
 * revoke, or a decision still to make), then promotion once every area approved. Empty once
 * promoted. The one answer the RC card, `status`, the cut's @mentions and promotion's refusal give.
 */
export function waitingOn(state: ReleaseState | undefined, context: WaitingContext): readonly Awaited[] {
  const { directory } = context;
  const platform = directory.peopleWith?.('platform') ?? [];
  const rc = currentRc(state);
  if (!state || !rc) return [{ kind: 'firstRc', who: platform }];
  if (state.promotion) return [];
  if (rc.status === 'superseded') return [{ kind: 'newRc', rc: rc.number, who: platform }];
  if (rc.status !== 'open') return [];
  const at = (context.now ?? new Date(rc.cutAt)).toISOString();
  const items: Awaited[] = [];
  if (!rc.qa) items.push({ kind: 'qa', rc: rc.number, who: directory.peopleWith?.('qaLead') ?? [] });
  for (const area of directory.areas) {
    const decision = rc.decisions[area.key];
    if (decision?.decision === 'rejected') items.push({ kind: 'revoke', rc: rc.number, area, by: decision.by, reason: decision.reason ?? '' });
    else if (!decision) items.push(awaitedDecision(state, rc, area, directory, at));
  }
  if (!items.some((item) => item.kind === 'revoke' || item.kind === 'approval')) items.push({ kind: 'promotion', rc: rc.number, who: platform });
  return items;
}

/** Whoever may decide a pending area now: the deputy in force if the rules accept their approval, else the lead. */
function awaitedDecision(state: ReleaseState, rc: RcState, area: AreaInfo, directory: Directory, at: string): Awaited {
  const deputy = directory.deputyOfArea?.(area.key);
  if (deputy && deputy !== area.leadId) {
    const asDeputy = decideEvents({ release: state, actor: { id: deputy, name: directory.nameOf(deputy) }, at, directory }, { type: 'approve', rc: rc.number, area: area.key });
    if (!isRefusal(asDeputy)) return { kind: 'approval', rc: rc.number, area, decider: deputy, deputyFor: area.leadId };
  }
  const filledElsewhere = directory.areas.find((other) => other.key !== area.key && rc.decisions[other.key]?.by === area.leadId);
  return { kind: 'approval', rc: rc.number, area, decider: area.leadId, ...(filledElsewhere ? { filledElsewhere } : {}) };
}

/** `waitingOn` in words, one line each (the RC card, promotion's refusal); the QA result has its own line on the card. */
export function waitingLines(state: ReleaseState | undefined, context: WaitingContext): readonly string[] {
  const { directory } = context;
  const platform = platformNames(directory);
  const items = waitingOn(state, context);
  const lines = blockerLines(items, directory);
  for (const item of items) {
    if (item.kind === 'firstRc') lines.push(`the first RC, cut by the Platform team${platform}`);
    if (item.kind === 'newRc') lines.push(`a new RC, cut by the Platform team${platform}`);
    if (item.kind === 'promotion') lines.push(`promotion of ${rcLabel(item.rc)} by the Platform team${platform}`);
  }
  return lines;
}

/** Rejections first (they block until revoked or a new RC), then areas still to approve. */
function blockerLines(items: readonly Awaited[], directory: Directory): string[] {
  const rejections = items.flatMap((item) =>
    item.kind === 'revoke'
      ? [`${item.area.name} rejected ${rcLabel(item.rc)} (${directory.nameOf(item.by)}: ${quoteText(item.reason)}) — blocks until revoked or a new RC is cut`]
      : [],
  );
  const pending = items.flatMap((item) => (item.kind === 'approval' ? [item] : []));
  const waiting = pending.length > 0 ? [`waiting for ${rcLabel(pending[0]!.rc)} approval from ${listOf(pending.map((item) => awaitedArea(item, directory)), 'and')}`] : [];
  return [...rejections, ...waiting];
}

/** "DAML (Steven Inouye)", "Bosko Kocev for DAML (deputy of Steven Inouye)", or why the area needs someone else. */
export function awaitedArea(item: Extract<Awaited, { kind: 'approval' }>, directory: Directory): string {
  const { area } = item;
  if (item.deputyFor) return decidedBy(directory, item.decider, item.deputyFor, area.name);
  const lead = directory.nameOf(area.leadId);
  if (!item.filledElsewhere) return `${area.name} (${lead})`;
  // Config lets one person lead two areas, but they fill only one per RC; say so rather than wait forever.
  return `${area.name} (${lead} already decided ${item.filledElsewhere.name} on ${rcLabel(item.rc)}, so ${area.name} needs another lead)`;
}

function approvalBlockers(ctx: Context): string[] {
  return blockerLines(waitingOn(ctx.release, { directory: ctx.directory, now: new Date(ctx.at) }), ctx.directory);
}

/** Folds a reminder event into its RC (release.ts `apply` calls this for the two reminder events). */
export function recordReminder(rc: RcState, event: Extract<ReleaseEvent, { type: 'leadReminded' | 'leadUnreachable' }>): RcState {
  const mark: ReminderMark = {
    area: event.area,
    person: event.person,
    step: event.type === 'leadReminded' ? event.step : 'unreachable',
    at: event.at,
  };
  return { ...rc, reminders: [...(rc.reminders ?? []), mark] };
}


// ---- small helpers --------------------------------------------------------------------------

function openRc(state: ReleaseState | undefined): RcState | undefined {
  const rc = currentRc(state);
  return rc?.status === 'open' ? rc : undefined;
}

function stamp(ctx: Context, rc: number): { at: string; by: string; rc: number } {
  return { at: ctx.at, by: ctx.actor.id, rc };
}




/** `approve rc.3`, or `approve rc.3 for qa` when the person leads several areas and must say which. */
function areaCommand(ctx: Context, verb: DecisionVerb, rc: number, area: AreaInfo): string {
  const several = decidableAreas(ctx.directory, ctx.actor.id).length > 1;
  return `${verb} ${rcLabel(rc)}${several ? ` for ${area.key}` : ''}`;
}

function cutHint(version: string, rc: number, hotfix: boolean): string {
  return `rc ${formatRc(version, rc)}${hotfix ? ' hotfix' : ''}`;
}

function cutHotfixHint(version: string): string {
  const fix = nextPatchRelease(version);
  return fix ? `rc ${formatRc(fix, 1)} hotfix` : `status ${version}`;
}

function statusHint(ctx: Context): string {
  return `status ${ctx.release.version}`;
}

function who(ctx: Context, personId: string): string {
  return personId === ctx.actor.id ? 'you' : ctx.directory.nameOf(personId);
}

function whose(ctx: Context, personId: string): string {
  return personId === ctx.actor.id ? 'your' : `${ctx.directory.nameOf(personId)}'s`;
}

function leadsList(directory: Directory): string {
  return directory.areas.map((area) => `${area.name}: ${directory.nameOf(area.leadId)}`).join(', ');
}

function platformNames(directory: Directory): string {
  const names = (directory.peopleWith?.('platform') ?? []).map((id) => directory.nameOf(id));
  return names.length > 0 ? ` (${listOf(names, 'or')})` : '';
}


function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Fri 10 Apr 2026, 10:03 EDT" in the configured zone, or "2026-04-10 14:03 UTC" without one. */
function formatInstant(ctx: Context, iso: string): string {
  return ctx.timeZone ? formatZoned(new Date(iso), ctx.timeZone) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}




