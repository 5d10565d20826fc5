import { Activity, CallerIdConstants, ConfigurationBotFrameworkAuthenticationOptions, InvokeResponse, TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult, ServiceClientCredentialsFactory } from 'botframework-connector';
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import { Logger, clip } from '../logger';

// The Bot Framework adapter and who it lets in. With an app id, botbuilder validates each request's
// token (signature against the published keys, issuer, audience = our app id, serviceurl claim =
// the activity's serviceUrl, expiry); this file adds what a Teams bot serving one tenant needs on
// top, and answers every refusal with a status instead of an exception. Without an app id nothing is
// checked: local use only (main refuses that in production).

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
}

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

export function createBotAdapter(options: BotAuthenticationOptions, logger: Logger): TeamsAdapter {
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
  return new GuardedTeamsAdapter(settings, options.credentialsFactory, { authenticated: Boolean(appId), knownTenants, logger });
}

interface Guard {
  readonly authenticated: boolean;
  readonly knownTenants: ReadonlySet<string>;
  readonly logger: Logger;
}

class GuardedTeamsAdapter extends TeamsAdapter {
  constructor(
    settings: ConfigurationBotFrameworkAuthenticationOptions,
    credentialsFactory: ServiceClientCredentialsFactory | undefined,
    private readonly guard: Guard,
  ) {
    super(settings, credentialsFactory);
  }

  protected override async processActivity(
    authorization: string | AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    if (typeof authorization !== 'string') return super.processActivity(authorization, activity, logic);
    if (!this.guard.authenticated) return super.processActivity(authorization, activity, logic);

    const tenant = tenantClaimOf(authorization);
    if (tenant !== undefined && !this.guard.knownTenants.has(tenant)) {
      // botbuilder 4.23 adds issuers for the `tid` of any token it is shown, before checking the
      // signature, to a process-wide list (EmulatorValidation.isTokenFromEmulator): a stream of
      // tokens naming made-up tenants would grow memory and slow every later check.
      return this.refuse(401, activity, 'the token names a tenant this bot does not serve');
    }
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, authorization);
    } catch (error) {
      if (keysUnavailable(error)) {
        this.guard.logger.error({ activityId: clip(activity.id), error: clip(messageOf(error)) }, 'cannot check Bot Framework tokens: signing keys unavailable');
        return { status: 503, body: { error: 'Service Unavailable', message: 'Cannot validate the token right now; try again.' } };
      }
      return this.refuse(401, activity, messageOf(error));
    }
    if (activity.channelId !== 'msteams') {
      // Teams sends msteams; other channels of the same registration (Web Chat, Direct Line) let
      // the client state who it is, and people here are trusted by their Entra object id.
      return this.refuse(403, activity, `channel "${clip(activity.channelId)}" is not Microsoft Teams`);
    }
    return super.processActivity(authenticated, activity, logic);
  }

  private refuse(status: 401 | 403, activity: Activity, reason: string): InvokeResponse {
    this.guard.logger.warn({ activityId: clip(activity.id), type: clip(activity.type), status, reason: clip(reason) }, 'refused a request');
    return { status, body: { error: status === 401 ? 'Unauthorized' : 'Forbidden' } };
  }
}

/** The `tid` claim of the (not yet verified) bearer token, if it has one. */
function tenantClaimOf(authorization: string): string | undefined {
  const token = /^Bearer\s+([^\s]+)$/i.exec(authorization.trim())?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const tid = claims && typeof claims === 'object' ? (claims as Record<string, unknown>).tid : undefined;
    return tid === undefined ? undefined : String(tid);
  } catch {
    return undefined;
  }
}

/** The published keys could not be fetched: our problem (or the network's), not the caller's. */
function keysUnavailable(error: unknown): boolean {
  const { statusCode, name } = (error ?? {}) as { statusCode?: number; name?: string };
  return (typeof statusCode === 'number' && statusCode >= 500) || name === 'FetchError' || name === 'AbortError';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
