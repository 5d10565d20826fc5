import { createDirectory } from '../domain/directory';
import { Directory } from '../domain/types';
import { BotConfig } from './config';

/** The domain's Directory from validated config: config keys become Entra object ids. */
export function directoryFromConfig(config: BotConfig): Directory {
  const idOf = new Map(config.people.map((person) => [person.key, person.aadObjectId.toLowerCase()]));
  const id = (key: string) => idOf.get(key)!; // config validation guarantees every key resolves
  return createDirectory({
    areas: config.areas.map((area) => ({ key: area.key, name: area.name, leadId: id(area.lead) })),
    platform: config.roles.platform.map(id),
    qaLead: id(config.roles.qa),
    irc: config.roles.irc.map(id),
    names: Object.fromEntries(config.people.map((person) => [person.aadObjectId.toLowerCase(), person.name])),
  });
}
