// First, before botbuilder and teams-ai load: defers the modules of theirs this bot never runs.
import './teams/deferred-modules';
import { ConfigError } from './config/config';
import { isBotError } from './errors';
import { createLogger } from './logger';
import { checkStartup, startFromEnv, stopOnSignals } from './startup';

// `npm run serve`: the bot alone, configured from the environment (listed in README.md). The
// checks and the start itself live in startup.ts, where tests reach them.

const HELP = `lendos release bot — serves POST /api/messages, POST /api/github (GitHub webhooks),
GET /evidence/<version>.<md|json> (signed evidence links), GET /healthz (alive) and GET /readyz (store reachable)

Environment:
  PORT                      port to listen on (default 3978)
  HOST                      address to bind (default 0.0.0.0 with MICROSOFT_APP_ID, else 127.0.0.1)
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
                            where post-deployment bugs are filed (unset: recorded only); also the
                            repository RC contents are read from and final releases published to
  GITHUB_WEBHOOK_SECRET     with the config's github section: POST /api/github cuts RCs from signed
                            webhooks (X-Hub-Signature-256); unset: the route answers 404
  PAGERDUTY_TOKEN           PagerDuty REST API key, for onCall.provider "pagerduty"
  BOT_DOMAIN                the bot's public host (lendos-bot.azurewebsites.net, a dev tunnel's host)
  PUBLIC_BASE_URL           where people reach the bot (https://…); evidence links start with it
                            (default https://$BOT_DOMAIN, else this machine's address)
  EVIDENCE_LINK_KEY         at least 32 characters; signs evidence links (unset: a random key per
                            process, so links break on restart and differ between instances)
  NODE_ENV                  without MICROSOFT_APP_ID the bot starts only when NODE_ENV is unset, development
                            or test (any case); any other value (production, Production, prod, staging…)
                            counts as production and refuses to start without it
  LOG_LEVEL                 debug | info | warn | error | silent (default info); JSON lines on stdout;
                            debug adds each command's store requests

On App Service the secrets are Key Vault references (infra/README.md); a reference App Service could
not resolve reaches the bot as its own text, @Microsoft.KeyVault(...), which counts as unset (with a
warning at start).
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const check = checkStartup(process.env);
  if (!check.ok) {
    for (const problem of check.problems) process.stderr.write(`${problem}\n`);
    process.exitCode = 2;
    return;
  }
  const logger = createLogger({ level: check.settings.LOG_LEVEL });
  const bot = await startFromEnv(check.settings, process.env, { logger });
  stopOnSignals(process, (reason) => bot.stop(reason), { logger, exit: (code) => process.exit(code) });
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else if (isBotError(error, 'invalid')) {
    // A setting that cannot work (a store path, a URL): the message says which and why; a stack would bury it.
    process.stderr.write(`Failed to start: ${error.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
