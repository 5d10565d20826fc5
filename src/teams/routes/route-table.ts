import type { TurnContext } from 'botbuilder';
import type { ParsedCommand } from '../../commands/parse-command';
import type { AdaptiveCardJson } from '../../cards/render';
import type { Actor } from '../../domain/types';
import type { Inbound } from '../inbound';
import type { RouteDependencies } from '../route-dependencies';

// The shapes of the routing tables: each feature registers its typed commands by kind and its card
// buttons by verb in one table (src/teams/routes/*-routes.ts); src/teams/routes.ts dispatches through
// them. A table is data: which kinds and verbs a feature answers can be read (and tested) without
// running a handler.

/** What a typed command's handler is given: the turn, who and where, and how to answer in place. */
export interface CommandTurn {
  readonly context: TurnContext;
  readonly inbound: Inbound;
  readonly deps: RouteDependencies;
  /** Answers in place with the refusal card. */
  refuse(reason: string, hint?: string): Promise<unknown>;
  /** Answers in place with a card. */
  replyCard(card: object): Promise<unknown>;
}

export type CommandKind = ParsedCommand['name'];
export type CommandOf<K extends CommandKind> = Extract<ParsedCommand, { readonly name: K }>;
export type CommandHandler<K extends CommandKind> = (turn: CommandTurn, command: CommandOf<K>) => Promise<void>;
/** A feature's typed commands: each kind it answers, to its handler. */
export type CommandRoutes<K extends CommandKind> = { readonly [P in K]: CommandHandler<P> };

/** Who and where, when Teams named the person: what a command that records its author is given. */
export type KnownInbound = Inbound & { readonly actor: Actor };
export type RecordingTurn = CommandTurn & { readonly inbound: KnownInbound };

/**
 * A command that records who did it. Without a Teams identity (a message Teams sent without the
 * sender's Entra object id) nothing can be recorded, so it is refused here, for every feature alike.
 */
export function recording<K extends CommandKind>(handler: (turn: RecordingTurn, command: CommandOf<K>) => Promise<void>): (turn: CommandTurn, command: CommandOf<K>) => Promise<void> {
  return async (turn, command) => {
    if (!turn.inbound.actor) {
      await turn.refuse("Teams didn't tell me who you are, so I can't record this.", 'Send the command from your own Teams account.');
      return;
    }
    await handler(turn as RecordingTurn, command);
  };
}

/** What a card button's handler is given. The answer is the card that replaces the clicked one for the clicker. */
export interface CardTurn {
  readonly context: TurnContext;
  readonly deps: RouteDependencies;
  readonly verb: string;
}
export type CardHandler = (turn: CardTurn, data: Record<string, unknown>) => Promise<AdaptiveCardJson>;
/** A feature's card buttons: each verb its cards carry, to its handler. */
export type CardRoutes<V extends string> = { readonly [P in V]: CardHandler };

/** A message-extension command (a dialog, "task module"): what opens it and what its submit does. */
export interface DialogRoute {
  /** The dialog to show; a string is shown as a message instead. */
  fetch(context: TurnContext, deps: RouteDependencies): Promise<{ readonly title: string; readonly card: AdaptiveCardJson } | string>;
  /** The submit: a card to show again (with what was wrong), a message to close with, or nothing. */
  submit(context: TurnContext, deps: RouteDependencies, data: Record<string, unknown>): Promise<{ readonly title: string; readonly card: AdaptiveCardJson } | string | null>;
}
export type DialogRoutes<C extends string> = { readonly [P in C]: DialogRoute };
