import { CommandRole, CommandUsage, ROLE_LABELS, USAGE } from '../commands/parse-command';
import { Actor, DeploymentDirectory, Directory } from '../domain/types';
import { HelpCardData, HelpCommand, HelpOtherCommand } from './card-data';
import { areaName } from './release-view';

// `help`: the commands of the person's roles first, each once, with its syntax, what it does and an
// example; every other command (what anyone may do among them) behind "Show all commands", each
// once, with who may use it. Command usage comes from the parser's USAGE table, so help and parse
// errors never disagree.

/** In a channel the bot only hears messages that @mention it, so examples show the mention. */
const MENTION = '@lendos ';

/**
 * When the @mention may be left out. Teams delivers channel and group-chat messages to a bot only
 * when they mention it, unless the app is packaged with the RSC permission ChannelMessage.Read.Group
 * (`npm run package -- --rsc`): then channel messages starting with a command word are read too.
 */
export const MENTION_RULE =
  'Start with @lendos in channels and group chats. You may leave it out in a personal chat, and in channels ' +
  'if your Teams admin installed the app with channel-message access; there I only read messages that start with a command.';

export const VERSION_RULE = "Inside a release thread, rc.N means that thread's release; elsewhere write the full version, e.g. 2026.4.0-rc.3.";

export function helpCardData(
  person: Actor,
  directory: Directory,
  usage: readonly CommandUsage[] = Object.values(USAGE),
): HelpCardData {
  const led = directory.areasLedBy(person.id).map((key) => areaName(directory, key));
  const held: { readonly title: string; readonly role: CommandRole }[] = [
    ...(led.length > 0 ? [{ title: `Lead approver for ${joinAnd(led)}`, role: 'lead-approver' as const }] : []),
    ...(directory.isPlatform(person.id) ? [{ title: 'Platform team', role: 'platform' as const }] : []),
    ...(directory.isQaLead(person.id) ? [{ title: 'QA lead', role: 'qa-lead' as const }] : []),
    ...(directory.isIrc(person.id) ? [{ title: 'IRC', role: 'irc' as const }] : []),
    // Anyone may be picked as a deployment's engineer; the Platform team usually is.
    ...(directory.isPlatform(person.id) ? [{ title: 'Deployment engineer', role: 'deployment-engineer' as const }] : []),
    ...(isValidator(directory, person.id) ? [{ title: 'Validator', role: 'validator' as const }] : []),
  ];
  // The commands of the person's roles, in the parser's (the runbook's) order; what anyone may do
  // (status, history, bug, help) waits behind the toggle, unless the person holds no role at all.
  const roles = new Set<CommandRole>(held.length > 0 ? held.map((h) => h.role) : ['anyone']);
  const isYours = (u: CommandUsage) => u.roles.some((role) => roles.has(role));
  const yours = usage.filter(isYours);
  return {
    name: directory.nameOf(person.id) === person.id ? person.name : directory.nameOf(person.id),
    roles: [...held.map(({ title }) => title), 'everyone'],
    mentionRule: MENTION_RULE,
    versionRule: VERSION_RULE,
    yours: yours.map((u) => helpCommand(u.syntax, u.description, MENTION + u.example)),
    others: usage.filter((u) => !isYours(u)).map((u) => otherCommand(u)),
  };
}

/** A command as the help card lists it; its syntax and example split into the lines they are written in. */
export function helpCommand(syntax: string, description: string, example: string): HelpCommand {
  return {
    syntax,
    description,
    example,
    syntaxLines: linesOf(syntax),
    exampleLines: linesOf(example).map((text, i) => ({ lead: i === 0 ? 'e.g. ' : '', text })),
  };
}

/** A command of someone else's role: its syntax, and who may use it for what. */
function otherCommand(u: CommandUsage): HelpOtherCommand {
  const who = u.roles.map((role) => ROLE_LABELS[role]).join(' or ');
  return { name: u.name, syntaxLines: linesOf(u.syntax), description: `${who}: ${u.description}` };
}

function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

function isValidator(directory: Directory, personId: string): boolean {
  const pool = (directory as Partial<DeploymentDirectory>).validatorPool;
  return Boolean(pool?.includes(personId));
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
