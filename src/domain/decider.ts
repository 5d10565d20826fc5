import { Refusal } from './types';
import { isRefusal } from './rule-helpers';

// The one shape of every state machine in the domain (release, deployment, lock, deputies):
//
//   decide(command, state, context) -> events | refusal
//   evolve(state, event)            -> state
//
// `decide` never changes anything: it says which events the command causes, or why not. `evolve`
// folds one event into the state, so a stored state is always `events.reduce(evolve, initial)`.
// The context carries whatever the decision needs besides the state (who acts, when, the
// directory, the config, facts read from other documents), so both stay pure and deterministic.

export interface Decider<Command, State, Event, Context> {
  decide(command: Command, state: State, context: Context): readonly Event[] | Refusal;
  evolve(state: State, event: Event): State;
}

/** What a command led to: its events and the state they fold into, or the refusal. */
export type Decision<State, Event> =
  | { readonly kind: 'accepted'; readonly events: readonly Event[]; readonly state: State }
  | Refusal;

/** Decides `command` and folds its events into `state`. */
export function decideAndEvolve<Command, State, Event, Context>(
  decider: Decider<Command, State, Event, Context>,
  command: Command,
  state: State,
  context: Context,
): Decision<State, Event> {
  const events = decider.decide(command, state, context);
  if (isRefusal(events)) return events;
  return { kind: 'accepted', events, state: events.reduce(decider.evolve, state) };
}
