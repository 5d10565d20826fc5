import { CommandUsage, USAGE } from '../commands/parse-command';
import { Actor, DeploymentDirectory, Directory } from '../domain/types';
import { HelpCardData, HelpCommand, HelpSection } from './card-data';
import { areaName } from './release-view';

// `help`: one section per role the person holds, each command with its syntax, what it does and an
// example. Command usage comes from the parser's USAGE table, so help and parse errors never disagree.

/** In a channel the bot only hears messages that @mention it, so examples show the mention. */
const MENTION = '@lendos ';

export function helpCardData(
  person: Actor,
  directory: Directory,
  usage: readonly CommandUsage[] = Object.values(USAGE),
): HelpCardData {
  const led = directory.areasLedBy(person.id).map((key) => areaName(directory, key));
  const held: { readonly title: string; readonly role: string }[] = [
    ...(led.length > 0 ? [{ title: `Lead approver for ${joinAnd(led)}`, role: 'lead-approver' }] : []),
    ...(directory.isPlatform(person.id) ? [{ title: 'Platform team', role: 'platform' }] : []),
    ...(directory.isQaLead(person.id) ? [{ title: 'QA lead', role: 'qa-lead' }] : []),
    ...(directory.isIrc(person.id) ? [{ title: 'IRC', role: 'irc' }] : []),
    // Anyone may be picked as a deployment's engineer; the Platform team usually is.
    ...(directory.isPlatform(person.id) ? [{ title: 'Deployment engineer', role: 'deployment-engineer' }] : []),
    ...(isValidator(directory, person.id) ? [{ title: 'Validator', role: 'validator' }] : []),
    { title: 'Everyone', role: 'anyone' },
  ];
  const sections: HelpSection[] = held
    .map(({ title, role }) => ({
      title,
      commands: usage
        .filter((u) => (u.roles as readonly string[]).includes(role))
        .map((u) => helpCommand(u.syntax, u.description, MENTION + u.example)),
    }))
    // A role with no commands yet (IRC, until scheduling lands) is still listed under "Your roles".
    .filter((section) => section.commands.length > 0);
  return {
    name: directory.nameOf(person.id) === person.id ? person.name : directory.nameOf(person.id),
    roles: held.map(({ title }) => (title === 'Everyone' ? 'everyone' : title)),
    sections,
  };
}

/** A command as the help card lists it; its syntax and example split into the lines they are written in. */
export function helpCommand(syntax: string, description: string, example: string): HelpCommand {
  const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');
  return {
    syntax,
    description,
    example,
    syntaxLines: lines(syntax),
    exampleLines: lines(example).map((text, i) => ({ lead: i === 0 ? 'e.g. ' : '', text })),
  };
}

function isValidator(directory: Directory, personId: string): boolean {
  const pool = (directory as Partial<DeploymentDirectory>).validatorPool;
  return Boolean(pool?.includes(personId));
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
