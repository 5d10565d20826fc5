import { existsSync } from 'node:fs';
import type { Agent } from 'node:https';
import path from 'node:path';
import { z } from 'zod';
import { defaultCardsDir } from './cards/render';
import { loadConfigFile } from './config/config';
import { bugTrackerFromEnv } from './integrations/bug-tracker';
import { meetingSchedulerFromEnv } from './integrations/meetings';
import { Logger, errorFields } from './logger';
import { BotServer, startBotServer } from './server';
import { openStoreFromEnv } from './store/open-store';

// What `npm run serve` does, as functions main.ts calls and tests call: check the environment,
// start the bot from it, stop it on a signal. Every variable is listed in README.md.

type Env = Readonly<Record<string, string | undefined>>;

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
});

export type StartupSettings = Omit<z.infer<typeof envSchema>, 'HOST'> & {
  /** Default: 0.0.0.0 with an app id; 127.0.0.1 without one, so an unauthenticated bot is not on the network. */
  readonly HOST: string;
};

export type StartupCheck =
  | { readonly ok: true; readonly settings: StartupSettings }
  | { readonly ok: false; readonly problems: readonly string[] };

/** The environment read and judged once, before anything starts: settings, or every problem found. */
export function checkStartup(env: Env): StartupCheck {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  }
  const raw = parsed.data;
  const appId = raw.MICROSOFT_APP_ID;
  const hasPassword = raw.MICROSOFT_APP_PASSWORD.trim() !== '';
  const problems: string[] = [];
  if (raw.NODE_ENV === 'production' && !appId) {
    problems.push(
      'Refusing to start: NODE_ENV=production needs MICROSOFT_APP_ID (and its MICROSOFT_APP_PASSWORD), ' +
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
}

/** Opens the store and the integrations the environment names and starts the bot on them. */
export async function startFromEnv(settings: StartupSettings, env: Env, options: StartOptions): Promise<RunningBot> {
  const { logger } = options;
  const configPath = settings.LENDOS_CONFIG ?? (existsSync('config/lendos.json') ? 'config/lendos.json' : 'config/lendos.example.json');
  const config = loadConfigFile(configPath);
  logger.info({ config: configPath }, 'config loaded');

  const { store, description } = await openStoreFromEnv({ ...env, LENDOS_STORE_PATH: settings.LENDOS_STORE_PATH }, { agent: options.cosmosAgent });
  logger.info({ store: description }, 'store opened');
  let server: BotServer;
  try {
    const meetings = meetingSchedulerFromEnv(env, { logger });
    const bugs = bugTrackerFromEnv(env, { logger });
    logger.info({ meetings: meetings.description, bugs: bugs?.description ?? 'GitHub not configured: bugs are recorded only' }, 'integrations');
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
      now: options.now,
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
