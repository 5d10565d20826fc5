import { createDirectory } from '../domain/directory';
import { deploymentDirectory } from '../domain/deployment';
import { DeploymentDirectory } from '../domain/types';
import { BotConfig } from './config';

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
