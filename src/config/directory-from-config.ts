import { createDirectory } from '../domain/directory';
import { deploymentDirectory } from '../domain/deployment';
import { DeploymentDirectory } from '../domain/types';
import { BotConfig } from './config';
import { DeputyCover } from '../domain/deputies';
import { readUntil } from '../commands/parse-deputy';

/** The domain's Directory from validated config: config keys become (lower-case) Entra object ids. */
export function directoryFromConfig(config: BotConfig): DeploymentDirectory {
  const id = personIdResolver(config);
  const base = createDirectory({
    areas: config.areas.map((area) => ({ key: area.key, name: area.name, leadId: id(area.lead) })),
    platform: config.roles.platform.map(id),
    qaLead: id(config.roles.qa),
    irc: config.roles.irc.map(id),
    names: Object.fromEntries(config.people.map((person) => [person.aadObjectId.toLowerCase(), person.name])),
  });
  return deploymentDirectory(base, {
    known: config.people.map((person) => id(person.key)),
    validators: config.roles.validators.map(id),
  });
}

/** Config person key → Entra object id; config validation guarantees every key resolves. */
export function personIdResolver(config: BotConfig): (key: string) => string {
  const idOf = new Map(config.people.map((person) => [person.key, person.aadObjectId.toLowerCase()]));
  return (key: string) => idOf.get(key)!;
}

/** Entra object id → email, for meeting invitations. */
export function emailResolver(config: BotConfig): (personId: string) => string | undefined {
  const emailOf = new Map(config.people.map((person) => [person.aadObjectId.toLowerCase(), person.email]));
  return (personId: string) => emailOf.get(personId);
}

/** The config's `deputies[]` as covers in its time zone (a date alone: through that day; `from` a date: from its start). */
export function configuredDeputies(config: BotConfig): DeputyCover[] {
  const id = personIdResolver(config);
  const instant = (text: string, endOfDay: boolean): string | undefined => {
    const read = /^\d{4}-\d{2}-\d{2}$/.test(text) && !endOfDay ? readUntil(`${text} 00:00`, config.timeZone) : readUntil(text, config.timeZone);
    return read.ok ? read.value.toISOString() : undefined;
  };
  return config.deputies.flatMap((cover) => {
    const area = config.areas.find((a) => a.key === cover.area);
    const until = instant(cover.until, true);
    const from = cover.from === undefined ? undefined : instant(cover.from, false);
    if (!area || !until || (cover.from !== undefined && !from)) return [];
    return [{ area: area.key, lead: id(area.lead), deputy: id(cover.deputy), until, ...(from ? { from } : {}), source: 'config' as const }];
  });
}
