import type { TokenCredential } from '@azure/identity';
import type { Agent } from 'node:https';
import { BotError } from '../errors';
import { Logger } from '../logger';
import { createGraphMeetingScheduler } from './graph-meetings';
import { createLinkMeetingScheduler } from './link-meetings';
import { MeetingScheduler } from './meeting-scheduler';
import { envText, serviceBaseUrl } from './service-url';

export type { Meeting, MeetingPerson, MeetingRequest, MeetingScheduler } from './meeting-scheduler';
export { RECORDING_REMINDER } from './meeting-scheduler';
export { createGraphMeetingScheduler } from './graph-meetings';
export type { GraphMeetingSchedulerOptions } from './graph-meetings';
export { createLinkMeetingScheduler } from './link-meetings';

// Picks how deployment meetings are made, once at start:
//   GRAPH_TENANT_ID                   Entra tenant of the bot's Graph app registration (with GRAPH_CLIENT_ID + GRAPH_CLIENT_SECRET)
//   GRAPH_CLIENT_ID                   application (client) id of that registration
//   GRAPH_CLIENT_SECRET               its client secret
//   GRAPH_USE_MANAGED_IDENTITY        "true": sign in to Graph with the host's managed identity instead of a secret
//   GRAPH_MANAGED_IDENTITY_CLIENT_ID  client id of a user-assigned managed identity (default: system-assigned)
//   GRAPH_BASE_URL                    Graph endpoint (default https://graph.microsoft.com/v1.0)
//   GRAPH_AUTHORITY_HOST              Entra authority for the client secret (default https://login.microsoftonline.com)
// With none of them set, meetings are prefilled Teams links and the IRC turns recording on by hand.
// @azure/identity (~20 MB, a third of a second to load) is loaded only when Graph is configured.

type Identity = typeof import('@azure/identity');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadIdentity = (): Identity => require('@azure/identity') as Identity;

export interface ConfiguredMeetingScheduler {
  readonly scheduler: MeetingScheduler;
  /** One line for the start-up log; never contains the secret. */
  readonly description: string;
}

export interface MeetingSchedulerEnvOptions {
  readonly logger?: Logger;
  readonly fetch?: typeof fetch;
  /** Only for tests against a loopback authority whose certificate is self-signed. */
  readonly authorityAgent?: Agent;
  /** Only for tests: how long to wait before looking a just-created meeting up again. */
  readonly lookupDelayMs?: number;
}

const SECRET_SETTINGS = ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET'] as const;

export function meetingSchedulerFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: MeetingSchedulerEnvOptions = {},
): ConfiguredMeetingScheduler {
  const useManagedIdentity = flag(env, 'GRAPH_USE_MANAGED_IDENTITY');
  const managedIdentityClientId = envText(env, 'GRAPH_MANAGED_IDENTITY_CLIENT_ID');
  const set = SECRET_SETTINGS.filter((name) => envText(env, name));
  const baseUrl = serviceBaseUrl('GRAPH_BASE_URL', envText(env, 'GRAPH_BASE_URL') ?? 'https://graph.microsoft.com/v1.0');
  const make = (credential: TokenCredential) =>
    createGraphMeetingScheduler({ baseUrl, credential, fetch: options.fetch, logger: options.logger, lookupDelayMs: options.lookupDelayMs });

  if (useManagedIdentity) {
    if (envText(env, 'GRAPH_CLIENT_SECRET')) {
      throw new BotError('invalid', 'Set GRAPH_USE_MANAGED_IDENTITY=true or GRAPH_CLIENT_SECRET, not both: which one should sign in to Graph?');
    }
    const { ManagedIdentityCredential } = loadIdentity();
    const credential = managedIdentityClientId
      ? new ManagedIdentityCredential({ clientId: managedIdentityClientId })
      : new ManagedIdentityCredential();
    const identity = managedIdentityClientId ? `user-assigned managed identity ${managedIdentityClientId}` : 'system-assigned managed identity';
    return { scheduler: make(credential), description: `meetings through Microsoft Graph at ${baseUrl}, signed in with the ${identity}` };
  }
  if (managedIdentityClientId) {
    throw new BotError('invalid', 'GRAPH_MANAGED_IDENTITY_CLIENT_ID is set but GRAPH_USE_MANAGED_IDENTITY is not "true"');
  }
  if (set.length === 0) {
    return {
      scheduler: createLinkMeetingScheduler(),
      description:
        'meetings as prefilled Teams links (no GRAPH_TENANT_ID/GRAPH_CLIENT_ID/GRAPH_CLIENT_SECRET or GRAPH_USE_MANAGED_IDENTITY); ' +
        'IRCs turn recording on by hand',
    };
  }
  if (set.length < SECRET_SETTINGS.length) {
    const missing = SECRET_SETTINGS.filter((name) => !set.includes(name));
    throw new BotError('invalid', `Microsoft Graph is half configured: ${set.join(', ')} set but ${missing.join(', ')} missing (set all three, or none)`);
  }

  const tenantId = envText(env, 'GRAPH_TENANT_ID')!;
  const clientId = envText(env, 'GRAPH_CLIENT_ID')!;
  const authority = envText(env, 'GRAPH_AUTHORITY_HOST');
  const authorityHost = authority ? serviceBaseUrl('GRAPH_AUTHORITY_HOST', authority) : undefined;
  if (authorityHost && !authorityHost.startsWith('https:')) {
    throw new BotError('invalid', `GRAPH_AUTHORITY_HOST must be https:// (the identity library refuses anything else), got "${authority}"`);
  }
  const { AzureAuthorityHosts, ClientSecretCredential } = loadIdentity();
  const knownAuthorityHosts = new Set(Object.values(AzureAuthorityHosts).map((host) => new URL(host).host));
  const credential = new ClientSecretCredential(tenantId, clientId, envText(env, 'GRAPH_CLIENT_SECRET')!, {
    ...(authorityHost ? { authorityHost } : {}),
    // Instance discovery asks login.microsoftonline.com whether the authority is a Microsoft
    // cloud; an authority it cannot know (a test's loopback one) must skip it.
    ...(authorityHost && !knownAuthorityHosts.has(new URL(authorityHost).host) ? { disableInstanceDiscovery: true } : {}),
    ...(options.authorityAgent ? { agent: options.authorityAgent } : {}),
  });
  return {
    scheduler: make(credential),
    description:
      `meetings through Microsoft Graph at ${baseUrl}, signed in as app ${clientId} of tenant ${tenantId} with a client secret` +
      (authorityHost ? ` from ${authorityHost}` : ''),
  };
}

function flag(env: Readonly<Record<string, string | undefined>>, name: string): boolean {
  const value = envText(env, name)?.toLowerCase();
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new BotError('invalid', `${name} must be "true" or "false", got "${env[name]}"`);
}
