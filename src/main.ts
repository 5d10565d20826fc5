import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defaultCardsDir } from './cards/render';
import { ConfigError, loadConfigFile } from './config/config';
import { jsonLogger } from './logger';
import { startBotServer } from './server';
import { openStoreFromEnv } from './store/open-store';
import { bugTrackerFromEnv } from './integrations/bug-tracker';
import { meetingSchedulerFromEnv } from './integrations/meetings';

// `npm run serve`: the bot alone, configured from the environment (listed in README.md).

const HELP = `lendos release bot — serves POST /api/messages and GET /healthz

Environment:
  PORT                      port to listen on (default 3978)
  HOST                      address to bind (default 0.0.0.0)
  LENDOS_CONFIG             config file (default config/lendos.json, else config/lendos.example.json)
  LENDOS_STORE_PATH         embedded store file (default data/lendos.db)
  COSMOS_ENDPOINT           Azure Cosmos DB account endpoint; when set the bot uses Cosmos instead
  COSMOS_KEY                account key; without it, Entra ID (DefaultAzureCredential)
  COSMOS_DATABASE           database id (default lendos)
  COSMOS_CONTAINER          container id (default releases)
  MICROSOFT_APP_ID          bot app id; without it the bot runs unauthenticated (local only)
  MICROSOFT_APP_PASSWORD    bot client secret (SingleTenant/MultiTenant)
  MICROSOFT_APP_TENANT_ID   tenant of the bot's app registration (default: config tenantId)
  MICROSOFT_APP_TYPE        SingleTenant | MultiTenant | UserAssignedMSI (default SingleTenant)
  GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET
                            Graph app registration that creates deployment meetings (recording on)
  GRAPH_USE_MANAGED_IDENTITY  "true": sign in to Graph with the host's managed identity instead
  GRAPH_MANAGED_IDENTITY_CLIENT_ID  user-assigned identity's client id (default: system-assigned)
  GRAPH_BASE_URL, GRAPH_AUTHORITY_HOST  Graph and Entra endpoints (defaults: the public cloud)
  GITHUB_TOKEN, GITHUB_REPOSITORY (owner/repo), GITHUB_API_URL
                            where post-deployment bugs are filed; unset: bugs are recorded only
  NODE_ENV                  "production" refuses to start without MICROSOFT_APP_ID
`;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('0.0.0.0'),
  LENDOS_CONFIG: z.string().optional(),
  LENDOS_STORE_PATH: z.string().default(path.join('data', 'lendos.db')),
  MICROSOFT_APP_ID: z.string().default(''),
  MICROSOFT_APP_PASSWORD: z.string().default(''),
  MICROSOFT_APP_TENANT_ID: z.string().optional(),
  MICROSOFT_APP_TYPE: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).optional(),
  NODE_ENV: z.string().default('development'),
});

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const logger = jsonLogger();
  const env = envSchema.safeParse(process.env);
  if (!env.success) {
    for (const issue of env.error.issues) process.stderr.write(`${issue.path.join('.')}: ${issue.message}\n`);
    process.exitCode = 2;
    return;
  }
  const settings = env.data;
  if (settings.NODE_ENV === 'production' && !settings.MICROSOFT_APP_ID) {
    process.stderr.write('Refusing to start: NODE_ENV=production needs MICROSOFT_APP_ID so every request is authenticated.\n');
    process.exitCode = 2;
    return;
  }
  const configPath = settings.LENDOS_CONFIG ?? (existsSync('config/lendos.json') ? 'config/lendos.json' : 'config/lendos.example.json');
  const config = loadConfigFile(configPath);
  logger.info({ config: configPath }, 'config loaded');

  const { store, description } = await openStoreFromEnv({ ...process.env, LENDOS_STORE_PATH: settings.LENDOS_STORE_PATH });
  logger.info({ store: description }, 'store opened');
  const meetings = meetingSchedulerFromEnv(process.env, { logger });
  const bugs = bugTrackerFromEnv(process.env, { logger });
  logger.info({ meetings: meetings.description, bugs: bugs?.description ?? 'GitHub not configured: bugs are recorded only' }, 'integrations');
  const server = await startBotServer({
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
  });

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await server.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
