import { formatZoned } from './business-hours';
import { Decider, decideAndEvolve } from './decider';
import { Actor, AreaInfo, Directory, Refusal } from './types';
import { listOf, refuse } from './rule-helpers';

// Deputies: an away lead's area decided by a named person for a period. Pure: the caller stores
// the events (one document, one conditional write per command) and hands the covers active at
// `now` to the release domain as part of its Directory (`withDeputies`).
//
// A lead names their own deputy (`away until 2026-04-20 deputy bosko`); the Platform team may name
// one for any lead (`away steven until … deputy bosko`). One cover per area at a time: naming a new
// deputy replaces the old one; `back` ends it early. The lead may still decide their area while a
// deputy stands in. The release rules that stay in force (release.ts): one person fills at most one
// area per RC, and a deputy never decides an area whose lead is deciding another area as theirs.

/** Someone standing in for a lead on one area until `until` (an ISO instant, exclusive). */
export interface DeputyCover {
  readonly area: string;
  readonly lead: string;
  readonly deputy: string;
  readonly until: string;
  /** From config (`deputies[]`) or named in Teams. */
  readonly source: 'config' | 'teams';
  /** Config covers may start later; Teams ones start when named. */
  readonly from?: string;
  readonly namedBy?: string;
  readonly namedAt?: string;
}

export interface DeputiesState {
  /** Covers named in Teams, one per area at most (ended ones dropped). */
  readonly covers: readonly DeputyCover[];
  readonly revision: number;
}

export type DeputyEvent =
  | { readonly type: 'deputyNamed'; readonly at: string; readonly by: string; readonly area: string; readonly lead: string; readonly deputy: string; readonly until: string }
  | { readonly type: 'deputyEnded'; readonly at: string; readonly by: string; readonly area: string; readonly lead: string; readonly deputy: string };

export type DeputyCommand =
  | { readonly type: 'nameDeputy'; readonly lead: string; readonly deputy: string; readonly until: Date }
  | { readonly type: 'endDeputy'; readonly lead: string };

export type DeputyOutcome =
  | { readonly kind: 'accepted'; readonly events: readonly DeputyEvent[]; readonly state: DeputiesState }
  | Refusal;

/** The longest a deputy may stand in from one command; a longer absence is named again. */
export const MAX_COVER_DAYS = 92;

export const NO_DEPUTIES: DeputiesState = { covers: [], revision: 0 };

/** Everything a deputy decision needs besides the covers. */
export interface DeputyContext {
  readonly actor: Actor;
  readonly now: Date;
  readonly directory: Directory;
  readonly timeZone: string;
}

/** Decides `away` / `back` and folds its events: the covers with them, or the refusal. */
export function decideDeputy(command: DeputyCommand, state: DeputiesState, context: DeputyContext): DeputyOutcome {
  return decideAndEvolve(deputiesDecider, command, state, context) as DeputyOutcome;
}

/** Decides `away` / `back` (the domain's one shape, decider.ts): the events, or why not. */
function decide(command: DeputyCommand, state: DeputiesState, context: DeputyContext): readonly DeputyEvent[] | Refusal {
  const { actor, now, directory, timeZone } = context;
  const lead = command.lead;
  const leadName = directory.nameOf(lead);
  const own = lead === actor.id;
  const areas = directory.areas.filter((area) => area.leadId === lead);
  const example = own ? 'away until 2026-04-20 deputy bosko' : `away ${firstName(leadName)} until 2026-04-20 deputy bosko`;
  if (!own && !directory.isPlatform(actor.id)) {
    return refuse(
      'not-allowed',
      `Only ${leadName} or the Platform team can name a deputy for ${leadName}. To name yours, leave out the name.`,
      directory.areasLedBy(actor.id).length > 0 ? 'away until 2026-04-20 deputy bosko' : 'status',
    );
  }
  if (areas.length === 0) {
    return refuse(
      'not-allowed',
      `${own ? 'You lead' : `${leadName} leads`} no approval area, so there is nothing for a deputy to decide. Leads: ${leadsList(directory)}.`,
      'status',
    );
  }
  const at = now.toISOString();
  if (command.type === 'endDeputy') {
    const ending = activeTeamsCovers(state, now).filter((cover) => cover.lead === lead);
    if (ending.length === 0) {
      return refuse('nothing-to-revoke', `${own ? 'You have' : `${leadName} has`} no deputy standing in right now.`, example);
    }
    return ending.map((cover) => ({ type: 'deputyEnded', at, by: actor.id, area: cover.area, lead, deputy: cover.deputy }));
  }
  const deputyName = directory.nameOf(command.deputy);
  if (command.deputy === lead) {
    return refuse('invalid-input', `A deputy is someone else: ${own ? 'you' : leadName} can't stand in for ${own ? 'yourself' : 'themselves'}.`, example);
  }
  if (command.until.getTime() <= now.getTime()) {
    return refuse('invalid-input', `${formatZoned(command.until, timeZone)} has already passed; name a time in the future.`, example);
  }
  if (command.until.getTime() - now.getTime() > MAX_COVER_DAYS * 86_400_000) {
    return refuse('invalid-input', `A deputy stands in for at most ${MAX_COVER_DAYS} days at a time; name ${deputyName} again when that runs out.`, example);
  }
  return areas.map((area) => ({ type: 'deputyNamed', at, by: actor.id, area: area.key, lead, deputy: command.deputy, until: command.until.toISOString() }));
}

/** The deputies state machine in the domain's one shape (domain/decider.ts). */
export const deputiesDecider: Decider<DeputyCommand, DeputiesState, DeputyEvent, DeputyContext> = {
  decide,
  evolve: (state, event) => applyDeputyEvent(state, event),
};

export function applyDeputyEvent(state: DeputiesState, event: DeputyEvent): DeputiesState {
  const others = state.covers.filter((cover) => cover.area !== event.area);
  const covers =
    event.type === 'deputyNamed'
      ? [...others, { area: event.area, lead: event.lead, deputy: event.deputy, until: event.until, source: 'teams' as const, namedBy: event.by, namedAt: event.at }]
      : others;
  return { covers, revision: state.revision + 1 };
}

function activeTeamsCovers(state: DeputiesState, now: Date): DeputyCover[] {
  return state.covers.filter((cover) => isActive(cover, now));
}

function isActive(cover: DeputyCover, now: Date): boolean {
  const t = now.getTime();
  return (cover.from === undefined || Date.parse(cover.from) <= t) && t < Date.parse(cover.until);
}

/**
 * The covers in force at `now`, one per area: one named in Teams wins over the config's for the
 * same area (it is the newer word). Only covers whose lead still leads the area count.
 */
export function activeCovers(state: DeputiesState, configured: readonly DeputyCover[], now: Date, directory: Directory): DeputyCover[] {
  const fromTeams = activeTeamsCovers(state, now);
  const fromConfig = configured.filter((cover) => isActive(cover, now) && !fromTeams.some((t) => t.area === cover.area));
  return [...fromConfig, ...fromTeams].filter((cover) => directory.areas.some((area) => area.key === cover.area && area.leadId === cover.lead));
}

/** The release domain's Directory with these covers: `coversOf(person)` says which areas they stand in for. */
export function withDeputies<D extends Directory>(directory: D, covers: readonly DeputyCover[]): D {
  if (covers.length === 0) return directory;
  const byDeputy = new Map<string, DeputyCover[]>();
  for (const cover of covers) byDeputy.set(cover.deputy, [...(byDeputy.get(cover.deputy) ?? []), cover]);
  const coversOf = (personId: string) => (byDeputy.get(personId) ?? []).map((cover) => ({ area: cover.area, lead: cover.lead, until: cover.until }));
  const deputyOfArea = (areaKey: string) => covers.find((cover) => cover.area === areaKey)?.deputy;
  return Object.freeze({ ...directory, coversOf, deputyOfArea });
}

/** "Bosko Kocev for DAML (deputy of Steven Inouye)" when `deputyFor` is set, else the name alone. */
export function decidedBy(directory: Directory, by: string, deputyFor: string | undefined, areaName?: string): string {
  const name = directory.nameOf(by);
  if (!deputyFor) return name;
  return `${name}${areaName ? ` for ${areaName}` : ''} (deputy of ${directory.nameOf(deputyFor)})`;
}

function leadsList(directory: Directory): string {
  return listOf(
    directory.areas.map((area) => `${area.name}: ${directory.nameOf(area.leadId)}`),
    'and',
  );
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0]!.toLowerCase();
}

/** The areas a person may decide now: those they lead, then those they stand in for, in display order. */
export function decidableAreas(directory: Directory, personId: string): AreaInfo[] {
  const led = directory.areasLedBy(personId);
  const covered = (directory.coversOf?.(personId) ?? []).map((cover) => cover.area);
  return directory.areas.filter((area) => led.includes(area.key) || covered.includes(area.key));
}

/** `{ deputyFor: <lead> }` when the person decides this area as a deputy rather than as its lead. */
export function deputyMark(directory: Directory, personId: string, area: AreaInfo): { deputyFor?: string } {
  if (area.leadId === personId) return {};
  const cover = directory.coversOf?.(personId).find((c) => c.area === area.key);
  return cover ? { deputyFor: cover.lead } : {};
}
