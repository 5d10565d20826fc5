import { Activity, CallerIdConstants, ConfigurationBotFrameworkAuthenticationOptions, InvokeResponse, TurnContext } from 'botbuilder';
import { AuthenticationConstants, ToBotFromBotOrEmulatorTokenValidationParameters } from 'botframework-connector';
import type { AuthenticateRequestResult, ServiceClientCredentialsFactory } from 'botframework-connector';
// Deep import: the class is not in the package index; its process-wide metadata cache is where the keys are handed over.
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import { Logger, clip } from '../logger';
import { DEFAULT_SIGNING_KEY_POLICY, SigningKeyPolicy, SigningKeys, SigningKeysUnavailable } from './signing-keys';
import { TokenExpectations, TokenPath, precheckToken } from './token-precheck';

// The Bot Framework adapter and who it lets in. With an app id, botbuilder validates each request's
// token (signature against the published keys, issuer, audience = our app id, serviceurl claim =
// the activity's serviceUrl, expiry); this file adds what a Teams bot serving one tenant needs on
// top, and answers every refusal with a status instead of an exception. Without an app id nothing is
// checked: local use only (main refuses that in production).
//
// Deadlines: what can be checked without the network is checked first (token-precheck), so a bad
// token is 401 at once. The signing keys are fetched by our SigningKeys (deadline, one fetch in
// flight, cached keys used while a refresh fails) and handed to botbuilder through its own
// process-wide metadata cache, keyed by metadata URL: botbuilder asks that object for each key, and
// keeps doing every check of its own. A token that passes the checks when no key can be had gets
// 503 with Retry-After.

export interface BotAuthenticationOptions {
  /** Microsoft App (bot) id; empty runs unauthenticated, for local use only. */
  readonly appId: string;
  readonly appPassword?: string;
  /** Tenant of the app registration (SingleTenant / UserAssignedMSI). */
  readonly appTenantId?: string;
  readonly appType?: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  /** The tenant the bot serves (config `tenantId`). */
  readonly tenantId: string;
  /**
   * Where the signing keys of Bot Framework channel tokens are published. Unset (production): the
   * public cloud's, exactly as botbuilder configures it. Tests point it at a loopback server.
   */
  readonly openIdMetadataUrl?: string;
  /** Same for tokens Entra issues to the bot's own app (botbuilder's "emulator" path). */
  readonly emulatorOpenIdMetadataUrl?: string;
  /**
   * Makes the credentials of the bot's outbound calls (replies, posts). Unset (production):
   * botbuilder's ConfigurationServiceClientCredentialFactory, i.e. Entra client credentials from
   * the app id, password, type and tenant.
   */
  readonly credentialsFactory?: ServiceClientCredentialsFactory;
  /** Deadline and pacing of the signing-key fetches; tests shorten them. */
  readonly signingKeys?: Partial<SigningKeyPolicy>;
}

/** Why a request is not let in: the status and JSON body to answer with, and how long to wait for a 503. */
export interface Refusal {
  readonly status: 401 | 403 | 503;
  readonly body: { readonly error: string; readonly message?: string };
  readonly retryAfterSeconds?: number;
}

/** botbuilder's clockTolerance for channel and Entra tokens (ChannelValidation, ToBotFromBotOrEmulatorTokenValidationParameters). */
const CLOCK_SKEW_SECONDS = 5 * 60;

/**
 * botbuilder's public-cloud settings (botframework-connector AuthenticationConstants). Setting any
 * one of them makes botbuilder take all of them from configuration, so overriding the metadata URL
 * means spelling out the rest; test/auth checks these against the installed library.
 */
export const PUBLIC_CLOUD_AUTHENTICATION = {
  ValidateAuthority: true,
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: CallerIdConstants.PublicAzureChannel,
} as const;

/**
 * Tenants botbuilder already trusts as token issuers (its ToBotFromBotOrEmulatorTokenValidationParameters):
 * Bot Framework's own, Microsoft's and the US government cloud's.
 */
const BOT_FRAMEWORK_TENANTS = [
  'd6d49420-f39b-4df7-a1dc-d59a935871db',
  'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
  '72f988bf-86f1-41af-91ab-2d7cd011db47',
  'cab8a31a-1906-4287-a0d8-4eef66b95f6e',
];

export function createBotAdapter(options: BotAuthenticationOptions, logger: Logger): GuardedTeamsAdapter {
  const appId = options.appId;
  const overridesMetadata = Boolean(options.openIdMetadataUrl || options.emulatorOpenIdMetadataUrl);
  const settings: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: options.appPassword ?? '',
    MicrosoftAppType: options.appType ?? (appId ? 'SingleTenant' : 'MultiTenant'),
    MicrosoftAppTenantId: options.appTenantId ?? (appId ? options.tenantId : ''),
    ...(overridesMetadata
      ? {
          ...PUBLIC_CLOUD_AUTHENTICATION,
          ToBotFromChannelOpenIdMetadataUrl: options.openIdMetadataUrl ?? PUBLIC_CLOUD_AUTHENTICATION.ToBotFromChannelOpenIdMetadataUrl,
          ToBotFromEmulatorOpenIdMetadataUrl: options.emulatorOpenIdMetadataUrl ?? PUBLIC_CLOUD_AUTHENTICATION.ToBotFromEmulatorOpenIdMetadataUrl,
        }
      : {}),
  };
  // Compared exactly, as botbuilder compares them: another casing of our tenant would be new to it.
  const knownTenants = new Set([options.tenantId, options.appTenantId, ...BOT_FRAMEWORK_TENANTS].flatMap((t) => (t ? [t, t.toLowerCase()] : [])));
  const ourTenants = [options.tenantId, options.appTenantId].filter((t): t is string => Boolean(t));
  const expected: TokenExpectations = {
    appId,
    channelIssuer: PUBLIC_CLOUD_AUTHENTICATION.ToBotFromChannelTokenIssuer,
    entraIssuers: new Set([...(ToBotFromBotOrEmulatorTokenValidationParameters.issuer as string[]), ...ourTenants.flatMap(entraIssuersOf)]),
    knownTenants,
    clockSkewSeconds: CLOCK_SKEW_SECONDS,
  };
  const policy = { ...DEFAULT_SIGNING_KEY_POLICY, ...options.signingKeys };
  const onRefreshFailed = (error: Error) => logger.warn({ error: clip(error.message) }, 'signing keys refresh failed');
  const keys: Record<TokenPath, SigningKeys> = {
    channel: installSigningKeys(options.openIdMetadataUrl ?? PUBLIC_CLOUD_AUTHENTICATION.ToBotFromChannelOpenIdMetadataUrl, policy, onRefreshFailed),
    entra: installSigningKeys(options.emulatorOpenIdMetadataUrl ?? PUBLIC_CLOUD_AUTHENTICATION.ToBotFromEmulatorOpenIdMetadataUrl, policy, onRefreshFailed),
  };
  return new GuardedTeamsAdapter(settings, options.credentialsFactory, { authenticated: Boolean(appId), expected, keys, now: policy.now, logger });
}

/** The v1 and v2 issuers of Entra tokens from a tenant, as botbuilder builds them when it first sees that tenant. */
function entraIssuersOf(tenant: string): string[] {
  return [
    `${AuthenticationConstants.ValidTokenIssuerUrlTemplateV1}${tenant}/`,
    `${AuthenticationConstants.ValidTokenIssuerUrlTemplateV2}${tenant}/v2.0`,
    `${AuthenticationConstants.ValidGovernmentTokenIssuerUrlTemplateV1}${tenant}/`,
    `${AuthenticationConstants.ValidGovernmentTokenIssuerUrlTemplateV2}${tenant}/v2.0`,
  ];
}

/**
 * Makes botbuilder take its keys for `metadataUrl` from a SigningKeys of ours. JwtTokenExtractor
 * looks its metadata object up by URL in a process-wide map before creating its own; the entry is
 * replaced, so the last adapter created in a process wins (one per process outside tests, which use
 * a metadata URL per bot).
 */
function installSigningKeys(metadataUrl: string, policy: SigningKeyPolicy, onRefreshFailed: (error: Error) => void): SigningKeys {
  const keys = new SigningKeys(metadataUrl, policy, onRefreshFailed);
  const cache = (JwtTokenExtractor as unknown as { openIdMetadataCache?: Map<string, unknown> }).openIdMetadataCache;
  if (!(cache instanceof Map)) throw new Error('botframework-connector no longer keeps JwtTokenExtractor.openIdMetadataCache; see bot-adapter.ts');
  cache.set(metadataUrl, keys);
  return keys;
}

interface Guard {
  readonly authenticated: boolean;
  readonly expected: TokenExpectations;
  readonly keys: Readonly<Record<TokenPath, SigningKeys>>;
  readonly now: () => number;
  readonly logger: Logger;
}

/** Teams adapter that admits only requests it can authenticate, and answers every refusal with a status. */
export class GuardedTeamsAdapter extends TeamsAdapter {
  constructor(
    settings: ConfigurationBotFrameworkAuthenticationOptions,
    credentialsFactory: ServiceClientCredentialsFactory | undefined,
    private readonly guard: Guard,
  ) {
    super(settings, credentialsFactory);
  }

  /** Fetches the channel's signing keys ahead of the first request; false when they could not be had (yet). */
  prefetchSigningKeys(): Promise<boolean> {
    return this.guard.authenticated ? this.guard.keys.channel.prefetch() : Promise.resolve(true);
  }

  /**
   * Whether a request may go on to botbuilder: the token passes what can be checked without the
   * network, and the key it names can be had (within the fetch deadline). Answered before the body
   * is handed to botbuilder, so a refusal can carry Retry-After.
   */
  async admit(authorization: string, activity: { readonly id?: unknown; readonly type?: unknown; readonly serviceUrl?: unknown }): Promise<Refusal | undefined> {
    if (!this.guard.authenticated) return undefined;
    const checked = this.precheck(authorization, activity);
    if (!checked.ok) return checked.refusal;
    try {
      const key = await this.guard.keys[checked.path].getKey(checked.keyId);
      if (!key) return this.refuse(401, activity, 'the token is signed with a key that is not published');
    } catch (error) {
      return this.keysUnavailable(activity, error);
    }
    return undefined;
  }

  protected override async processActivity(
    authorization: string | AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    if (typeof authorization !== 'string') return super.processActivity(authorization, activity, logic);
    if (!this.guard.authenticated) return super.processActivity(authorization, activity, logic);

    // Again here, for a caller that did not ask admit() first.
    const checked = this.precheck(authorization, activity);
    if (!checked.ok) return checked.refusal;
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, authorization);
    } catch (error) {
      if (error instanceof SigningKeysUnavailable) return this.keysUnavailable(activity, error);
      return this.refuse(401, activity, messageOf(error));
    }
    if (activity.channelId !== 'msteams') {
      // Teams sends msteams; other channels of the same registration (Web Chat, Direct Line) let
      // the client state who it is, and people here are trusted by their Entra object id.
      return this.refuse(403, activity, `channel "${clip(activity.channelId)}" is not Microsoft Teams`);
    }
    return super.processActivity(authenticated, activity, logic);
  }

  /**
   * The checks that need no network. Among them the tenant: botbuilder 4.23 adds issuers for the
   * `tid` of any token it is shown, before checking the signature, to a process-wide list
   * (EmulatorValidation.isTokenFromEmulator), so a stream of tokens naming made-up tenants would
   * grow memory and slow every later check.
   */
  private precheck(authorization: string, activity: { readonly id?: unknown; readonly type?: unknown; readonly serviceUrl?: unknown }) {
    const serviceUrl = typeof activity.serviceUrl === 'string' ? activity.serviceUrl : undefined;
    const checked = precheckToken(authorization, serviceUrl, this.guard.expected, Math.floor(this.guard.now() / 1000));
    return checked.ok ? checked : { ok: false as const, refusal: this.refuse(401, activity, checked.reason) };
  }

  /** The published keys could not be fetched: our problem (or the network's), not the caller's. */
  private keysUnavailable(activity: { readonly id?: unknown }, error: unknown): Refusal {
    const retryAfterSeconds = error instanceof SigningKeysUnavailable ? error.retryAfterSeconds : 10;
    this.guard.logger.error({ activityId: clip(activity.id), error: clip(messageOf(error)), retryAfterSeconds }, 'cannot check Bot Framework tokens: signing keys unavailable');
    return { status: 503, body: { error: 'Service Unavailable', message: 'Cannot validate the token right now; try again.' }, retryAfterSeconds };
  }

  private refuse(status: 401 | 403, activity: { readonly id?: unknown; readonly type?: unknown }, reason: string): Refusal {
    this.guard.logger.warn({ activityId: clip(activity.id), type: clip(activity.type), status, reason: clip(reason) }, 'refused a request');
    return { status, body: { error: status === 401 ? 'Unauthorized' : 'Forbidden' } };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
