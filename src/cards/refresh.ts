import { CardRefresh } from './card-data';

// The `refresh` of a card with user-specific views (Adaptive Card Universal Actions). Teams asks the
// bot for a person's own view only for the users listed, at most 60 of them; everyone else sees
// the base card. Teams names users by MRI; the bot knows people by their Entra object id, which
// Teams accepts in the MRI form `8:orgid:<object id>` (the `29:…` form is per bot and known only
// once the person has written to it).

/** Teams' limit on `refresh.userIds`. */
export const MAX_REFRESH_USERS = 60;

export function teamsUserId(entraObjectId: string): string {
  return `8:orgid:${entraObjectId}`;
}

/** The refresh for these people (Entra object ids, most pressing first); none when nobody can act. */
export function cardRefresh(people: readonly string[]): CardRefresh {
  const userIds = [...new Set(people)].slice(0, MAX_REFRESH_USERS).map(teamsUserId);
  return { userIds, enabled: userIds.length > 0 };
}
