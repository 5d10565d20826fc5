import { existsSync } from 'node:fs';
import type { Agent } from 'node:https';
import path from 'node:path';
import { z } from 'zod';
import { defaultCardsDir } from './cards/render';
import { ConfigError, loadConfigFile } from './config/config';
import { unresolvedReferenceMessage, withoutUnresolvedKeyVaultReferences } from './config/key-vault-references';
import { bugTrackerFromEnv } from './integrations/bug-tracker';
import { gitHubRepositoryFromEnv } from './integrations/github-repository';
import { envText } from './integrations/service-url';
import { meetingSchedulerFromEnv } from './integrations/meetings';
import { Logger, errorFields } from './logger';
import { BotServer, startBotServer } from './server';
import type { SendPacer } from './teams/send-pacer';
import { openStoreFromEnv } from './store/open-store';

// What `npm run serve` does, as functions main.ts calls and tests call: check the environment,
// start the bot from it, stop it on a signal. Every variable is listed in README.md.

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The NODE_ENV values (trimmed, in any case) under which the bot may run without an app id, besides
 * leaving NODE_ENV unset or blank. Every other value (production, Production, prod, staging, a typo)
 * counts as production: a misspelt production setting must not open the bot to anyone.
 */
export const UNAUTHENTICATED_NODE_ENVS: readonly string[] = ['development', 'test'];

/** Whether NODE_ENV allows running without an app id. */
export function allowsUnauthenticated(nodeEnv: string | undefined): boolean {
  const value = (nodeEnv ?? '').trim().toLowerCase();
  return value === '' || UNAUTHENTICATED_NODE_ENVS.includes(value);
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().trim().min(1).optional(),
  LENDOS_CONFIG: z.string().optional(),
  LENDOS_STORE_PATH: z.string().default(path.join('data', 'lendos.db')),
  MICROSOFT_APP_ID: z.string().trim().default(''),
  MICROSOFT_APP_PASSWORD: z.string().default(''),
  MICROSOFT_APP_TENANT_ID: z.string().trim().min(1).optional(),
  MICROSOFT_APP_TYPE: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).optional(),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  PUBLIC_BASE_URL: z
    .string()
    .trim()
    .url('must be the URL people reach the bot at, like https://lendos-bot.azurewebsites.net')
    .refine((url) => /^https?:\/\//i.test(url), 'must be an http(s) URL')
    .optional(),
  BOT_DOMAIN: z.string().trim().min(1).optional(),
  EVIDENCE_LINK_KEY: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
});

export type StartupSettings = Omit<z.infer<typeof envSchema>, 'HOST'> & {
  /** Default: 0.0.0.0 with an app id; 127.0.0.1 without one, so an unauthenticated bot is not on the network. */
  readonly HOST: string;
};

export type StartupCheck =
  | { readonly ok: true; readonly settings: StartupSettings }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * The environment read and judged once, before anything starts: settings, or every problem found.
 * A Key Vault reference App Service could not resolve counts as unset (config/key-vault-references.ts).
 */
export function checkStartup(env: Env): StartupCheck {
  const parsed = envSchema.safeParse(withoutUnresolvedKeyVaultReferences(env).env);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  }
  const raw = parsed.data;
  const appId = raw.MICROSOFT_APP_ID;
  const hasPassword = raw.MICROSOFT_APP_PASSWORD.trim() !== '';
  const problems: string[] = [];
  if (!allowsUnauthenticated(raw.NODE_ENV) && !appId) {
    const written = raw.NODE_ENV.trim();
    const shown = written.length > 40 ? `${written.slice(0, 40)}…` : written;
    const counts = written === 'production' ? '' : ' (every NODE_ENV other than development or test, in any case, counts as production)';
    problems.push(
      `Refusing to start: NODE_ENV=${shown} needs MICROSOFT_APP_ID (and its MICROSOFT_APP_PASSWORD)${counts}, ` +
        'so that every request must carry a valid Bot Framework token. Without it the bot would accept anyone.',
    );
  }
  if (!appId && hasPassword) {
    problems.push('MICROSOFT_APP_PASSWORD is set but MICROSOFT_APP_ID is not: the bot would run unauthenticated. Set both, or neither.');
  }
  if (appId && raw.MICROSOFT_APP_TYPE === 'UserAssignedMSI' && hasPassword) {
    problems.push('MICROSOFT_APP_TYPE=UserAssignedMSI signs in with the managed identity: unset MICROSOFT_APP_PASSWORD.');
  }
  if (appId && raw.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !hasPassword) {
    problems.push(
      'MICROSOFT_APP_ID is set without MICROSOFT_APP_PASSWORD: the bot could check tokens but never reply. ' +
        'Set the client secret, or MICROSOFT_APP_TYPE=UserAssignedMSI for a managed identity.',
    );
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, settings: { ...raw, HOST: raw.HOST ?? (appId ? '0.0.0.0' : '127.0.0.1') } };
}

export interface RunningBot {
  readonly server: BotServer;
  /** Graceful stop: the server (in-flight turns, outbox), then the store. Idempotent. */
  stop(reason: string): Promise<void>;
}

export interface StartOptions {
  readonly logger: Logger;
  /** Only for tests against the loopback Cosmos server, whose certificate is self-signed. */
  readonly cosmosAgent?: Agent;
  /** The bot's clock (default: the system's). The benchmark steps it to open deployment windows. */
  readonly now?: () => Date;
  /** How sends are paced (default: below Teams' limits). The benchmark's cost rounds pace to none, as the echo bot's do. */
  readonly pacer?: SendPacer;
}

/** Opens the store and the integrations the environment names and starts the bot on them. */
export async function startFromEnv(settings: StartupSettings, givenEnv: Env, options: StartOptions): Promise<RunningBot> {
  const { logger } = options;
  const { env, unresolved } = withoutUnresolvedKeyVaultReferences(givenEnv);
  for (const name of unresolved) logger.warn({ setting: name }, unresolvedReferenceMessage(name));
  const configPath = settings.LENDOS_CONFIG ?? (existsSync('config/lendos.json') ? 'config/lendos.json' : 'config/lendos.example.json');
  const config = loadConfigFile(configPath);
  logger.info({ config: configPath }, 'config loaded');
  const webhookSecret = envText(env, 'GITHUB_WEBHOOK_SECRET');
  const gitHubRepository = gitHubRepositoryFromEnv(env, { logger });
  const pagerDutyToken = envText(env, 'PAGERDUTY_TOKEN');
  const integrationProblems = [
    ...(config.onCall?.provider === 'pagerduty' && !pagerDutyToken ? ['onCall.provider: "pagerduty" needs PAGERDUTY_TOKEN (a PagerDuty REST API key that can read the schedules)'] : []),
    ...(webhookSecret && !config.github ? ['github: GITHUB_WEBHOOK_SECRET is set but there is no github section saying who webhook RC cuts are attributed to (github.cutBy)'] : []),
    ...(config.github?.publishOnPromotion && !gitHubRepository ? ['github.publishOnPromotion: needs GITHUB_REPOSITORY and GITHUB_TOKEN, the repository the final release is created in'] : []),
  ];
  if (integrationProblems.length > 0) throw new ConfigError(configPath, integrationProblems);
  if (config.github && !webhookSecret) logger.warn({}, 'config has a github section but GITHUB_WEBHOOK_SECRET is unset: POST /api/github is off');
  if (!settings.EVIDENCE_LINK_KEY) logger.warn({}, 'EVIDENCE_LINK_KEY is unset: evidence links are signed with a key of this process and stop working when it restarts');
  if (settings.MICROSOFT_APP_ID && !settings.PUBLIC_BASE_URL && !settings.BOT_DOMAIN) {
    logger.warn({}, 'PUBLIC_BASE_URL (or BOT_DOMAIN) is unset: evidence links point at this machine, which people in Teams cannot open');
  }

  const { store, description } = await openStoreFromEnv({ ...env, LENDOS_STORE_PATH: settings.LENDOS_STORE_PATH }, { agent: options.cosmosAgent });
  logger.info({ store: description }, 'store opened');
  let server: BotServer;
  try {
    const meetings = meetingSchedulerFromEnv(env, { logger });
    const bugs = bugTrackerFromEnv(env, { logger });
    logger.info(
      {
        meetings: meetings.description,
        bugs: bugs?.description ?? 'GitHub not configured: bugs are recorded only',
        onCall: config.onCall?.provider === 'pagerduty' ? `PagerDuty schedules ${config.onCall.pagerduty?.scheduleIds.join(', ')}` : 'config rotation',
        rcCuts: config.github && webhookSecret ? `GitHub ${config.github.cutOn === 'tag' ? 'tags' : 'pre-releases'} through POST /api/github` : 'typed only',
      },
      'integrations',
    );
    server = await startBotServer({
      config,
      store,
      logger,
      port: settings.PORT,
      host: settings.HOST,
      appId: settings.MICROSOFT_APP_ID,
      appPassword: settings.MICROSOFT_APP_PASSWORD,
      appTenantId: settings.MICROSOFT_APP_TENANT_ID,
      appType: settings.MICROSOFT_APP_TYPE,
      cardsDir: defaultCardsDir(),
      meetings: meetings.scheduler,
      bugTracker: bugs?.tracker,
      gitHubWebhookSecret: webhookSecret,
      pagerDutyToken,
      gitHubRepository,
      publicBaseUrl: settings.PUBLIC_BASE_URL ?? (settings.BOT_DOMAIN ? `https://${settings.BOT_DOMAIN}` : undefined),
      evidenceLinkKey: settings.EVIDENCE_LINK_KEY,
      now: options.now,
      pacer: options.pacer,
    });
  } catch (error) {
    await store.close();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    server,
    stop(reason) {
      stopping ??= (async () => {
        logger.info({ reason }, 'shutting down');
        await server.close();
        await store.close();
        logger.info({ reason }, 'stopped');
      })();
      return stopping;
    },
  };
}

export interface SignalOptions {
  readonly logger: Logger;
  readonly exit: (code: number) => void;
  /** Past this, the process exits anyway (default 25 s, inside the usual 30 s grace period). */
  readonly timeoutMs?: number;
}

/** SIGTERM (the platform stopping the instance) and SIGINT stop the bot gracefully, then exit. */
export function stopOnSignals(target: NodeJS.EventEmitter, stop: (reason: string) => Promise<void>, options: SignalOptions): void {
  const { logger, exit } = options;
  const timeoutMs = options.timeoutMs ?? 25_000;
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'already shutting down');
      return;
    }
    stopping = true;
    const deadline = setTimeout(() => {
      logger.error({ signal, timeoutMs }, 'shutdown took too long; exiting anyway');
      exit(1);
    }, timeoutMs);
    deadline.unref();
    stop(signal).then(
      () => {
        clearTimeout(deadline);
        exit(0);
      },
      (error) => {
        clearTimeout(deadline);
        logger.error(errorFields(error), 'shutdown failed');
        exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT']) target.on(signal, () => onSignal(signal));
}
