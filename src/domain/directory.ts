import { AreaInfo, Directory, DirectoryRole } from './types';

// The Directory the domain asks "who may do what". Built once from validated config; ids are
// Entra object ids. Pure: no config reading here.

export interface DirectorySpec {
  /** Approval areas in display order, each with its one lead. */
  readonly areas: readonly AreaInfo[];
  /** Platform team: cut RCs, promote. */
  readonly platform: readonly string[];
  readonly qaLead: string;
  /** Incident Response Commanders. */
  readonly irc: readonly string[];
  /** Display name by person id. */
  readonly names: Readonly<Record<string, string>>;
}

export function createDirectory(spec: DirectorySpec): Directory {
  const areas: readonly AreaInfo[] = Object.freeze(spec.areas.map((area) => Object.freeze({ ...area })));
  const platform = Object.freeze([...spec.platform]);
  const irc = Object.freeze([...spec.irc]);
  const qaLead = Object.freeze([spec.qaLead]);
  // A Map, not the record itself, so an id like "constructor" can't reach Object.prototype.
  const names = new Map(Object.entries(spec.names));
  const holders: Readonly<Record<DirectoryRole, readonly string[]>> = { platform, qaLead, irc };

  return Object.freeze({
    areas,
    areasLedBy: (personId: string) => areas.filter((area) => area.leadId === personId).map((area) => area.key),
    isPlatform: (personId: string) => platform.includes(personId),
    isQaLead: (personId: string) => qaLead.includes(personId),
    isIrc: (personId: string) => irc.includes(personId),
    nameOf: (personId: string) => names.get(personId) ?? personId,
    peopleWith: (role: DirectoryRole) => holders[role],
  });
}
