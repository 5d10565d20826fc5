import type { ParsedCommand } from '../../commands/parse-command';
import type { AdaptiveCardJson } from '../../cards/render';
import type { RouteDependencies } from '../route-dependencies';
import { CardHandler, CardRoutes, CommandKind, CommandRoutes, CommandTurn, DialogRoute, DialogRoutes } from './route-table';
import { releaseCardRoutes, releaseCommandRoutes } from './release-routes';
import { deploymentCardRoutes, deploymentCommandRoutes, deploymentDialogRoutes } from './deployment-routes';
import { lockCommandRoutes } from './lock-routes';
import { freezeCommandRoutes } from './freeze-routes';
import { deputyCommandRoutes } from './deputy-routes';
import { registrationCommandRoutes } from './registration-routes';
import { queryCommandRoutes } from './query-routes';

// Every feature's table, by feature. The tables together route each typed command kind and each
// card verb exactly once (test/teams/route-tables.test.ts); a kind left out does not compile.

export const COMMAND_ROUTE_TABLES: Readonly<Record<string, Partial<CommandRoutes<CommandKind>>>> = {
  release: releaseCommandRoutes,
  deployment: deploymentCommandRoutes,
  lock: lockCommandRoutes,
  freeze: freezeCommandRoutes,
  deputy: deputyCommandRoutes,
  registration: registrationCommandRoutes,
  query: queryCommandRoutes,
};

export const CARD_ROUTE_TABLES: Readonly<Record<string, CardRoutes<string>>> = {
  release: releaseCardRoutes,
  deployment: deploymentCardRoutes,
};

export const DIALOG_ROUTE_TABLES: Readonly<Record<string, DialogRoutes<string>>> = {
  deployment: deploymentDialogRoutes,
};

const COMMAND_ROUTES: CommandRoutes<CommandKind> = {
  ...releaseCommandRoutes,
  ...deploymentCommandRoutes,
  ...lockCommandRoutes,
  ...freezeCommandRoutes,
  ...deputyCommandRoutes,
  ...registrationCommandRoutes,
  ...queryCommandRoutes,
};

/** Runs a parsed command by the route of its kind. */
export function routeCommand(turn: CommandTurn, command: ParsedCommand): Promise<void> {
  // The table pairs each kind with the handler of that kind, which TypeScript can't follow through the lookup.
  return (COMMAND_ROUTES[command.name] as (turn: CommandTurn, command: ParsedCommand) => Promise<void>)(turn, command);
}

// Maps, not objects: a verb a card sends ("constructor", "__proto__") never finds a prototype's property.
const CARD_ROUTES = new Map<string, CardHandler>(Object.values(CARD_ROUTE_TABLES).flatMap((table) => Object.entries(table)));
const DIALOG_ROUTES = new Map<string, DialogRoute>(Object.values(DIALOG_ROUTE_TABLES).flatMap((table) => Object.entries(table)));

/** The handler of a card button's verb; undefined for a verb no card of ours carries. */
export function cardRoute(verb: string): CardHandler | undefined {
  return CARD_ROUTES.get(verb);
}

/** Every message-extension command with a dialog, by its id. */
export function dialogRoutes(): ReadonlyMap<string, DialogRoute> {
  return DIALOG_ROUTES;
}

/** The answer to a button whose verb no table routes: a refusal card, never teams-ai's 501. */
export function unknownButton(deps: Pick<RouteDependencies, 'render'>, verb: string): AdaptiveCardJson {
  return deps.render('refusal', { title: "Can't do that", reason: `This button ("${verb}") isn't one I know, so nothing happened.`, hint: 'Type `help` to see what I can do.' });
}
