import type { DeploymentRefArg, ParseOptions, PersonOption } from '../../src/commands/parse-command';
import type { EnvironmentRef } from '../../src/domain/types';

// What the message handler passes the parser, as in config/lendos.example.json.

export const AREAS = ['product', 'qa', 'daml', 'stream', 'platform'];

export const PROD: EnvironmentRef = { key: 'bxci-production', name: 'BXCI Production' };
export const STAGING: EnvironmentRef = { key: 'bxci-staging', name: 'BXCI Staging' };
export const ENVIRONMENTS: readonly EnvironmentRef[] = [PROD, STAGING];

export const PEOPLE: readonly PersonOption[] = [
  { key: 'luis', name: 'Luis Garcia' },
  { key: 'rafaella', name: 'Rafaella Barrocas' },
  { key: 'steven', name: 'Steven Inouye' },
  { key: 'bosko', name: 'Bosko Kocev' },
  { key: 'jake', name: 'Jake Edgington' },
];

export const NY = 'America/New_York';

/** Everything the handler passes: areas, environments, people and the configured zone. */
export const OPTIONS: ParseOptions = { areas: AREAS, environments: ENVIRONMENTS, people: PEOPLE, timeZone: NY };

export const PICKABLE = 'You can pick Luis Garcia, Rafaella Barrocas, Steven Inouye, Bosko Kocev or Jake Edgington (by key, first name, full name or @mention).';
export const ENVIRONMENT_LIST = 'The environments are BXCI Production and BXCI Staging.';

export const deployment = (version: string, environment: EnvironmentRef): DeploymentRefArg => ({ version, environment });
