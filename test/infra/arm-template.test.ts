import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ArmResource,
  eachString,
  expressionOf,
  expressionsIn,
  findCalls,
  loadBicep,
  loadParametersFile,
  loadTemplate,
  namesUsed,
  nameSegments,
  normalise,
  readRepoFile,
  REPO_DIR,
  resourceIdOf,
  splitArgs,
} from './arm-template';
import { checkStartup } from '../../src/startup';
import { withoutUnresolvedKeyVaultReferences } from '../../src/config/key-vault-references';
import { bugTrackerFromEnv } from '../../src/integrations/bug-tracker';
import { meetingSchedulerFromEnv } from '../../src/integrations/meetings';
import { bicepSourceFiles, bicepSourceHash, INFRA_DIR } from './bicep-hash';

// infra/main.json is the ARM form of infra/main.bicep, written by hand where no Bicep compiler is
// available. These tests check it deploys what the bot needs (and nothing secret), that it agrees
// with the Bicep, and that it was regenerated after the Bicep last changed.

const template = loadTemplate();
const bicep = loadBicep();

const RESOURCE_TYPES: Readonly<Record<string, string>> = {
  'Microsoft.ManagedIdentity/userAssignedIdentities': '2023-01-31',
  'Microsoft.OperationalInsights/workspaces': '2023-09-01',
  'Microsoft.Insights/components': '2020-02-02',
  'Microsoft.DocumentDB/databaseAccounts': '2024-11-15',
  'Microsoft.DocumentDB/databaseAccounts/sqlDatabases': '2024-11-15',
  'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers': '2024-11-15',
  'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments': '2024-11-15',
  'Microsoft.KeyVault/vaults': '2023-07-01',
  'Microsoft.Authorization/roleAssignments': '2022-04-01',
  'Microsoft.Web/serverfarms': '2024-04-01',
  'Microsoft.Web/sites': '2024-04-01',
  'Microsoft.Insights/diagnosticSettings': '2021-05-01-preview',
  'Microsoft.BotService/botServices': '2022-09-15',
  'Microsoft.BotService/botServices/channels': '2022-09-15',
};

/** Cosmos DB Built-in Data Contributor. */
const DATA_CONTRIBUTOR_ROLE = '00000000-0000-0000-0000-000000000002';
/** Key Vault Secrets User, the built-in Azure role (the same id in every tenant). */
const KEY_VAULT_SECRETS_USER_ROLE = '4633458b-17de-408a-b874-0445c86b69e6';
/** The only ids a template may spell out: built-in role definitions. */
const BUILT_IN_ROLES: readonly string[] = [DATA_CONTRIBUTOR_ROLE, KEY_VAULT_SECRETS_USER_ROLE];
/** A variable the bot reads that holds a secret, by its name. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|(^|_)KEY$/i;
/** The secret's name in the vault: GITHUB_TOKEN → github-token. */
const vaultSecretName = (setting: string) => setting.toLowerCase().replace(/_/g, '-');
/** Secrets the bot can read that this deployment has no use for: the identity signs in instead. */
const MANAGED_IDENTITY_INSTEAD: readonly string[] = ['MICROSOFT_APP_PASSWORD', 'COSMOS_KEY'];

function only(type: string): ArmResource {
  const found = template.resources.filter((resource) => resource.type === type);
  if (found.length !== 1) throw new Error(`infra/main.json declares ${found.length} resources of type ${type}, expected 1`);
  return found[0]!;
}

const identity = only('Microsoft.ManagedIdentity/userAssignedIdentities');
const workspace = only('Microsoft.OperationalInsights/workspaces');
const appInsights = only('Microsoft.Insights/components');
const cosmos = only('Microsoft.DocumentDB/databaseAccounts');
const database = only('Microsoft.DocumentDB/databaseAccounts/sqlDatabases');
const container = only('Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers');
const roleAssignment = only('Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments');
const plan = only('Microsoft.Web/serverfarms');
const webApp = only('Microsoft.Web/sites');
const webAppLogs = only('Microsoft.Insights/diagnosticSettings');
const bot = only('Microsoft.BotService/botServices');
const teamsChannel = only('Microsoft.BotService/botServices/channels');
const keyVault = only('Microsoft.KeyVault/vaults');
const keyVaultRole = only('Microsoft.Authorization/roleAssignments');

/** The app setting value that makes App Service read `secret` from the template's vault. */
function keyVaultReferenceTo(secret: string): string {
  return `[format('@Microsoft.KeyVault(SecretUri={0}secrets/${secret}/)', ${expressionOf(referenceTo(keyVault, 'vaultUri'))})]`;
}

/** `reference(<resourceId of resource>, '<its apiVersion>').<property>` as a template value. */
function referenceTo(resource: ArmResource, property: string): string {
  return `[reference(${resourceIdOf(resource)}, '${resource.apiVersion}').${property}]`;
}

function sameExpression(actual: unknown, expected: string): void {
  expect(typeof actual).toBe('string');
  expect(normalise(actual as string)).toBe(normalise(expected));
}

function appSettings(): Map<string, unknown> {
  const list = webApp.properties?.siteConfig?.appSettings as { name: string; value: unknown }[];
  const settings = new Map<string, unknown>();
  for (const { name, value } of list) {
    expect(settings.has(name)).toBe(false);
    settings.set(name, value);
  }
  return settings;
}

describe('infra/main.json: template shape', () => {
  test('is a resource-group deployment template', () => {
    expect(template.$schema).toBe('https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#');
    expect(template.contentVersion).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(Array.isArray(template.resources)).toBe(true);
  });

  test('every parameter used is declared, and every declared parameter is used', () => {
    const declared = Object.keys(template.parameters).sort();
    const used = [...namesUsed({ variables: template.variables, resources: template.resources, outputs: template.outputs }, 'parameters')];
    expect(used.filter((name) => !declared.includes(name))).toEqual([]);
    expect(declared.filter((name) => !used.includes(name))).toEqual([]);
    for (const [name, parameter] of Object.entries(template.parameters)) {
      expect([name, parameter.type]).toEqual([name, expect.stringMatching(/^(string|int|bool|object|array)$/)]);
    }
  });

  test('every variable used is declared, and every declared variable is used', () => {
    const declared = Object.keys(template.variables ?? {}).sort();
    const used = [...namesUsed(template, 'variables')];
    expect(used.filter((name) => !declared.includes(name))).toEqual([]);
    expect(declared.filter((name) => !used.includes(name))).toEqual([]);
  });

  test('main.parameters.json sets only declared parameters, with allowed values', () => {
    const file = loadParametersFile();
    expect(file.$schema).toBe('https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#');
    for (const [name, { value }] of Object.entries(file.parameters)) {
      const parameter = template.parameters[name];
      expect([name, parameter === undefined]).toEqual([name, false]);
      if (parameter!.allowedValues) expect(parameter!.allowedValues).toContain(value);
      if (parameter!.type === 'string') {
        expect(typeof value).toBe('string');
        expect((value as string).length).toBeGreaterThanOrEqual(parameter!.minLength ?? 0);
        expect((value as string).length).toBeLessThanOrEqual(parameter!.maxLength ?? Infinity);
      }
    }
  });
});

describe('infra/main.json: resources and API versions', () => {
  test('declares each resource type once, at the expected API version', () => {
    const declared = template.resources.map((resource) => `${resource.type}@${resource.apiVersion}`).sort();
    const expected = Object.entries(RESOURCE_TYPES).map(([type, version]) => `${type}@${version}`).sort();
    expect(declared).toEqual(expected);
  });

  test('every reference() names a declared resource at the API version it is declared with', () => {
    const ids = new Map(template.resources.map((resource) => [resourceIdOf(resource), resource]));
    const references = expressionsIn(template).flatMap((expression) => findCalls(expression, 'reference'));
    expect(references.length).toBeGreaterThan(0);
    for (const call of references) {
      const [target, version] = splitArgs(call);
      const resource = ids.get(normalise(target!));
      expect([call, resource?.type]).toEqual([call, expect.any(String)]);
      expect([call, version]).toEqual([call, `'${resource!.apiVersion}'`]);
    }
  });

  test('every dependsOn entry names a declared resource', () => {
    const ids = new Set(template.resources.map(resourceIdOf));
    for (const resource of template.resources) {
      for (const dependency of resource.dependsOn ?? []) {
        const id = normalise(expressionOf(dependency));
        expect([resource.type, id, ids.has(id)]).toEqual([resource.type, id, true]);
      }
    }
  });

  test('a resource depends on its parent and on every declared resource it refers to', () => {
    // What Bicep adds implicitly and a hand-written template most easily forgets.
    const byId = new Map(template.resources.map((resource) => [resourceIdOf(resource), resource]));
    for (const resource of template.resources) {
      const dependsOn = new Set((resource.dependsOn ?? []).map((entry) => normalise(expressionOf(entry))));
      const { dependsOn: _ignored, name: _name, ...body } = resource;
      const referred = new Set(expressionsIn(body).flatMap((expression) => findCalls(expression, 'resourceId').map(normalise)));
      const segments = nameSegments(resource);
      if (segments.length > 1) {
        const parentType = resource.type.split('/').slice(0, -1).join('/');
        referred.add(normalise(`resourceId('${parentType}', ${segments.slice(0, -1).join(', ')})`));
      }
      for (const id of referred) {
        if (byId.has(id) && id !== resourceIdOf(resource)) expect([resource.type, id, dependsOn.has(id)]).toEqual([resource.type, id, true]);
      }
    }
  });
});

describe('infra/main.json: Cosmos DB', () => {
  const cosmosStore = readRepoFile('src/store/cosmos-store.ts');
  const codeConstant = (name: string): string => {
    const match = new RegExp(`const ${name} = '([^']*)'`).exec(cosmosStore);
    expect([name, match?.[1]]).toEqual([name, expect.any(String)]);
    return match![1]!;
  };

  test('the account is serverless NoSQL with key authentication disabled', () => {
    expect(cosmos.kind).toBe('GlobalDocumentDB');
    expect(cosmos.properties?.capabilities).toEqual([{ name: 'EnableServerless' }]);
    expect(cosmos.properties?.disableLocalAuth).toBe(true);
    expect(cosmos.properties?.disableKeyBasedMetadataWriteAccess).toBe(true);
    expect(cosmos.properties?.locations).toHaveLength(1);
  });

  test('the database and container are the ones the bot opens, under that account', () => {
    expect(nameSegments(database)).toEqual([...nameSegments(cosmos), "parameters('cosmosDatabaseName')"]);
    expect(database.properties?.resource?.id).toBe("[parameters('cosmosDatabaseName')]");
    expect(nameSegments(container)).toEqual([...nameSegments(database), "parameters('cosmosContainerName')"]);
    expect(container.properties?.resource?.id).toBe("[parameters('cosmosContainerName')]");
    expect(template.parameters.cosmosDatabaseName?.defaultValue).toBe(codeConstant('DEFAULT_DATABASE_ID'));
    expect(template.parameters.cosmosContainerName?.defaultValue).toBe(codeConstant('DEFAULT_CONTAINER_ID'));
    expect(container.properties?.options?.throughput).toBeUndefined(); // serverless has no provisioned throughput
  });

  test('the container is partitioned by /pk with TTL on and no default (-1), the shape the bot checks', () => {
    const resource = container.properties?.resource;
    expect(resource.partitionKey.paths).toEqual(['/pk']);
    expect(resource.partitionKey.paths).toEqual([codeConstant('PARTITION_KEY_PATH')]);
    expect(resource.partitionKey.kind).toBe('Hash');
    expect(resource.defaultTtl).toBe(-1);
  });

  test("the bot's identity holds Built-in Data Contributor on the account (data plane)", () => {
    expect(nameSegments(roleAssignment).slice(0, -1)).toEqual(nameSegments(cosmos));
    const roleDefinition = roleAssignment.properties?.roleDefinitionId as string;
    const expected = `[format('{0}/sqlRoleDefinitions/{1}', ${resourceIdOf(cosmos)}, variables('cosmosDataContributorRoleId'))]`;
    sameExpression(roleDefinition, expected);
    expect(template.variables?.cosmosDataContributorRoleId).toBe(DATA_CONTRIBUTOR_ROLE);
    sameExpression(roleAssignment.properties?.principalId, referenceTo(identity, 'principalId'));
    sameExpression(roleAssignment.properties?.scope, `[${resourceIdOf(cosmos)}]`);
    // A stable name (guid of account, identity and role) keeps redeployments idempotent.
    expect(findCalls(expressionOf(roleAssignment.name), 'guid')).toHaveLength(1);
  });
});

describe('infra/main.json: App Service', () => {
  const packageJson = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> };
  const server = readRepoFile('src/server.ts');
  const siteConfig = () => webApp.properties?.siteConfig;

  test('a Linux plan, Basic or above so Always On is available', () => {
    expect(plan.kind).toBe('linux');
    expect(plan.properties?.reserved).toBe(true);
    expect(plan.sku?.name).toBe("[parameters('sku')]");
    const skus = template.parameters.sku?.allowedValues as string[];
    expect(skus).toContain(template.parameters.sku?.defaultValue);
    expect(skus.filter((sku) => /^(F|D)\d/.test(sku))).toEqual([]);
    sameExpression(webApp.properties?.serverFarmId, `[${resourceIdOf(plan)}]`);
  });

  test('runs Node 22 LTS over HTTPS only, always on, with the bot started the way production starts it', () => {
    expect(webApp.kind).toBe('app,linux');
    expect(webApp.properties?.httpsOnly).toBe(true);
    expect(siteConfig().linuxFxVersion).toBe('NODE|22-lts');
    expect(siteConfig().alwaysOn).toBe(true);
    expect(siteConfig().ftpsState).toBe('Disabled');
    // `npm start` builds and runs the local playground; the service runs the bot alone.
    expect(siteConfig().appCommandLine).toBe('npm run serve');
    expect(packageJson.scripts.serve).toMatch(/^node (--[\w-]+(=\S+)? )*dist\/src\/main\.js$/);
  });

  test('probes /healthz, a route the bot serves', () => {
    expect(siteConfig().healthCheckPath).toBe('/healthz');
    expect(server).toMatch(/server\.get\(\s*'\/healthz'/);
  });

  test("carries the bot's user-assigned identity and no other", () => {
    expect(webApp.identity?.type).toBe('UserAssigned');
    const keys = Object.keys(webApp.identity?.userAssignedIdentities ?? {});
    expect(keys).toHaveLength(1);
    const key = normalise(expressionOf(keys[0]!));
    expect([normalise(resourceIdOf(identity)), normalise(`format('{0}', ${resourceIdOf(identity)})`)]).toContain(key);
  });

  test('sends console, HTTP and platform logs to the workspace', () => {
    sameExpression(webAppLogs.scope, `[format('Microsoft.Web/sites/{0}', ${nameSegments(webApp)[0]})]`);
    expect(webAppLogs.dependsOn?.map((entry) => normalise(expressionOf(entry)))).toContain(resourceIdOf(webApp));
    sameExpression(webAppLogs.properties?.workspaceId, `[${resourceIdOf(workspace)}]`);
    expect((webAppLogs.properties?.logs as { category: string; enabled: boolean }[]).filter((log) => log.enabled).map((log) => log.category)).toEqual(
      expect.arrayContaining(['AppServiceConsoleLogs', 'AppServiceHTTPLogs']),
    );
  });

  test('Application Insights is workspace-based and wired to the app', () => {
    sameExpression(appInsights.properties?.WorkspaceResourceId, `[${resourceIdOf(workspace)}]`);
    expect(appInsights.properties?.IngestionMode).toBe('LogAnalytics');
    sameExpression(appSettings().get('APPLICATIONINSIGHTS_CONNECTION_STRING'), referenceTo(appInsights, 'ConnectionString'));
  });
});

describe('infra/main.json: app settings against what the bot reads', () => {
  // Every variable the bot reads is either set here or deliberately left unset, with the reason.
  // A variable added to the bot fails this suite until someone decides which.
  const SET_BY_INFRA: readonly string[] = [
    'MICROSOFT_APP_ID',
    'MICROSOFT_APP_TYPE',
    'MICROSOFT_APP_TENANT_ID',
    'COSMOS_ENDPOINT',
    'COSMOS_DATABASE',
    'COSMOS_CONTAINER',
    'LENDOS_CONFIG',
    'NODE_ENV',
    'GRAPH_TENANT_ID',
    'GRAPH_CLIENT_ID',
    'GITHUB_REPOSITORY',
    // Key Vault references (see 'infra/main.json: Key Vault').
    'GRAPH_CLIENT_SECRET',
    'GITHUB_TOKEN',
    'GITHUB_WEBHOOK_SECRET',
    'PAGERDUTY_TOKEN',
    'EVIDENCE_LINK_KEY',
  ];
  const LEFT_UNSET: Readonly<Record<string, string>> = {
    PORT: 'App Service gives the Node container its PORT',
    HOST: 'with an app id the bot binds 0.0.0.0, what App Service needs',
    LOG_LEVEL: 'the default (info) is what production logs',
    LENDOS_STORE_PATH: 'the embedded store is unused once COSMOS_ENDPOINT is set',
    COSMOS_KEY: 'the account has key auth disabled; the bot signs in with its identity',
    MICROSOFT_APP_PASSWORD: 'UserAssignedMSI: the bot has no client secret',
    GRAPH_USE_MANAGED_IDENTITY: 'needs Graph application permissions granted outside ARM',
    GRAPH_MANAGED_IDENTITY_CLIENT_ID: 'needs Graph application permissions granted outside ARM',
    GRAPH_BASE_URL: 'public cloud default',
    GRAPH_AUTHORITY_HOST: 'public cloud default',
    GITHUB_API_URL: 'public GitHub default',
    PUBLIC_BASE_URL: "the site can't name its own host name in its settings; set it (or BOT_DOMAIN) from the appHostName output",
    BOT_DOMAIN: 'set with PUBLIC_BASE_URL after provisioning, from the appHostName output',
  };
  // Settings that are not the bot's own variables: read by the platform or by an SDK.
  const PLATFORM_SETTINGS: Readonly<Record<string, string>> = {
    AZURE_CLIENT_ID: 'DefaultAzureCredential signs in to Cosmos DB as the user-assigned identity',
    APPLICATIONINSIGHTS_CONNECTION_STRING: 'Application Insights agent',
    ApplicationInsightsAgent_EXTENSION_VERSION: 'Application Insights agent for Node.js on Linux',
    WEBSITE_RUN_FROM_PACKAGE: 'the zip deployed is mounted read-only as the app',
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'the package is built in CI',
  };

  // Where the bot names its variables: the --help text (main.ts), the zod schema of the environment
  // (startup.ts, earlier main.ts) and the store selection (open-store.ts).
  const sources = ['src/main.ts', 'src/startup.ts', 'src/store/open-store.ts']
    .filter((file) => existsSync(path.join(REPO_DIR, file)))
    .map((file) => ({ file, text: readRepoFile(file) }));
  const main = readRepoFile('src/main.ts');

  function variablesTheBotReads(): Set<string> {
    const names = new Set<string>();
    const help = /const HELP = `([\s\S]*?)`;/.exec(main)?.[1] ?? '';
    const environment = help.slice(help.indexOf('Environment:'));
    for (const match of environment.matchAll(/^ {2}([A-Z][A-Z0-9_]*)/gm)) names.add(match[1]!);
    for (const match of environment.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)) names.add(match[0]);
    for (const { text } of sources) {
      const schema = /const envSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(text)?.[1] ?? '';
      for (const match of schema.matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*:/gm)) names.add(match[1]!);
      for (const match of text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)) names.add(match[1]!);
      for (const match of text.matchAll(/^\/\/ {2,}([A-Z][A-Z0-9_]+)\s/gm)) names.add(match[1]!);
    }
    return names;
  }

  const botVariables = variablesTheBotReads();

  test('finds the variables in the bot source (the extraction still works)', () => {
    expect([...botVariables]).toEqual(expect.arrayContaining(['PORT', 'MICROSOFT_APP_ID', 'MICROSOFT_APP_TYPE', 'COSMOS_ENDPOINT', 'COSMOS_KEY', 'COSMOS_DATABASE', 'NODE_ENV']));
  });

  test('every variable the bot reads is either set by infra or deliberately left unset', () => {
    const unclassified = [...botVariables].filter((name) => !SET_BY_INFRA.includes(name) && !(name in LEFT_UNSET));
    expect(unclassified).toEqual([]);
  });

  test('the classification names only variables the bot still reads', () => {
    const stale = [...SET_BY_INFRA, ...Object.keys(LEFT_UNSET)].filter((name) => !botVariables.has(name));
    expect(stale).toEqual([]);
  });

  test('the app settings are exactly the variables infra sets plus the platform settings', () => {
    expect([...appSettings().keys()].sort()).toEqual([...SET_BY_INFRA, ...Object.keys(PLATFORM_SETTINGS)].sort());
  });

  test('values: production, UserAssignedMSI, the identity, the tenant, the Cosmos account', () => {
    const settings = appSettings();
    expect(settings.get('NODE_ENV')).toBe('production');
    expect(settings.get('MICROSOFT_APP_TYPE')).toBe('UserAssignedMSI');
    sameExpression(settings.get('MICROSOFT_APP_ID'), referenceTo(identity, 'clientId'));
    sameExpression(settings.get('AZURE_CLIENT_ID'), referenceTo(identity, 'clientId'));
    expect(settings.get('MICROSOFT_APP_TENANT_ID')).toBe("[parameters('tenantId')]");
    sameExpression(settings.get('COSMOS_ENDPOINT'), referenceTo(cosmos, 'documentEndpoint'));
    expect(settings.get('COSMOS_DATABASE')).toBe("[parameters('cosmosDatabaseName')]");
    expect(settings.get('COSMOS_CONTAINER')).toBe("[parameters('cosmosContainerName')]");
    expect(settings.get('LENDOS_CONFIG')).toBe("[parameters('configPath')]");
    expect(settings.get('WEBSITE_RUN_FROM_PACKAGE')).toBe('1');
    expect(settings.get('SCM_DO_BUILD_DURING_DEPLOYMENT')).toBe('false');
  });

  const VAULT_URI = 'https://kv-example.vault.azure.net/';
  const SECRET_VALUES: Readonly<Record<string, string>> = {
    'graph-client-secret': 'graph~client~secret~example',
    'github-token': 'github_pat_example',
    'github-webhook-secret': 'webhook-secret-example',
    'pagerduty-token': 'pagerduty-token-example',
    'evidence-link-key': 'e'.repeat(64),
  };

  /**
   * The environment App Service gives the bot: runtime values stood in by examples of the same shape,
   * parameters at their defaults unless given, and each Key Vault reference either resolved to its
   * secret (`inVault`) or, for a secret nobody has set yet, left as the reference text.
   */
  function infraEnv(parameters: Record<string, string>, inVault: readonly string[]): Record<string, string> {
    const standIns = new Map<string, string>([
      [normalise(referenceTo(identity, 'clientId')), '11111111-2222-4333-8444-555555555555'],
      [normalise(referenceTo(cosmos, 'documentEndpoint')), 'https://lendos-example.documents.azure.com:443/'],
      [normalise(referenceTo(appInsights, 'ConnectionString')), 'InstrumentationKey=00000000-0000-0000-0000-000000000000'],
      ["[parameters('tenantId')]", '66666666-7777-4888-8999-aaaaaaaaaaaa'],
    ]);
    const stand = (value: unknown): string => {
      const text = String(value);
      if (!text.startsWith('[')) return text;
      const standIn = standIns.get(normalise(text));
      if (standIn !== undefined) return standIn;
      const secret = Object.keys(SECRET_VALUES).find((name) => normalise(text) === normalise(keyVaultReferenceTo(name)));
      if (secret) return inVault.includes(secret) ? SECRET_VALUES[secret]! : `@Microsoft.KeyVault(SecretUri=${VAULT_URI}secrets/${secret}/)`;
      const parameter = /^\[parameters\('(\w+)'\)\]$/.exec(text)?.[1];
      if (parameter && parameter in parameters) return parameters[parameter]!;
      if (parameter && typeof template.parameters[parameter]?.defaultValue === 'string') return template.parameters[parameter]!.defaultValue as string;
      throw new Error(`no stand-in for app setting value ${text}`);
    };
    return { ...Object.fromEntries([...appSettings()].map(([name, value]) => [name, stand(value)])), PORT: '8080' };
  }

  test('every secret the bot reads is a Key Vault reference, or deliberately absent under a managed identity', () => {
    const settings = appSettings();
    const secrets = [...new Set([...settings.keys(), ...botVariables])].filter((name) => SECRET_NAME.test(name));
    expect(secrets.sort()).toEqual(['EVIDENCE_LINK_KEY', 'GITHUB_TOKEN', 'GITHUB_WEBHOOK_SECRET', 'GRAPH_CLIENT_SECRET', 'PAGERDUTY_TOKEN', ...MANAGED_IDENTITY_INSTEAD].sort());
    for (const name of secrets) {
      if (MANAGED_IDENTITY_INSTEAD.includes(name)) expect([name, settings.has(name)]).toEqual([name, false]);
      else sameExpression(settings.get(name), keyVaultReferenceTo(vaultSecretName(name)));
    }
  });

  test("just deployed, no secret in the vault yet: the bot's startup check accepts it and every integration is off", () => {
    const env = infraEnv({}, []);
    expect(env.EVIDENCE_LINK_KEY).toBe(`@Microsoft.KeyVault(SecretUri=${VAULT_URI}secrets/evidence-link-key/)`);
    const check = checkStartup(env);
    expect(check).toMatchObject({ ok: true, settings: { NODE_ENV: 'production', MICROSOFT_APP_TYPE: 'UserAssignedMSI', HOST: '0.0.0.0' } });
    // The reference text is public: it must not become the key evidence links are signed with.
    expect(check.ok && check.settings.EVIDENCE_LINK_KEY).toBeUndefined();
    const { env: seen, unresolved } = withoutUnresolvedKeyVaultReferences(env);
    expect([...unresolved].sort()).toEqual(['EVIDENCE_LINK_KEY', 'GITHUB_TOKEN', 'GITHUB_WEBHOOK_SECRET', 'GRAPH_CLIENT_SECRET', 'PAGERDUTY_TOKEN']);
    expect(meetingSchedulerFromEnv(seen).description).toMatch(/^meetings as prefilled Teams links/);
    expect(bugTrackerFromEnv(seen)).toBeUndefined();
  });

  test('with the Graph and GitHub parameters and every secret in the vault: meetings through Graph, bugs filed on GitHub, links signed with the key', () => {
    const env = infraEnv({ graphTenantId: '66666666-7777-4888-8999-aaaaaaaaaaaa', graphClientId: '77777777-8888-4999-8aaa-bbbbbbbbbbbb', gitHubRepository: 'lendos/platform' }, Object.keys(SECRET_VALUES));
    const check = checkStartup(env);
    expect(check).toMatchObject({ ok: true, settings: { EVIDENCE_LINK_KEY: SECRET_VALUES['evidence-link-key'] } });
    expect(withoutUnresolvedKeyVaultReferences(env).unresolved).toEqual([]);
    expect(meetingSchedulerFromEnv(env).description).toMatch(/^meetings through Microsoft Graph/);
    expect(bugTrackerFromEnv(env)?.description).toMatch(/^bugs become GitHub issues in lendos\/platform/);
  });
});

describe('infra/main.json: Key Vault', () => {
  test('RBAC authorization, soft delete for 90 days and purge protection, in the subscription tenant', () => {
    expect(keyVault.properties?.enableRbacAuthorization).toBe(true);
    expect(keyVault.properties?.accessPolicies).toBeUndefined();
    expect(keyVault.properties?.enableSoftDelete).toBe(true);
    expect(keyVault.properties?.softDeleteRetentionInDays).toBe(90);
    expect(keyVault.properties?.enablePurgeProtection).toBe(true);
    expect(keyVault.properties?.tenantId).toBe('[subscription().tenantId]');
    expect(keyVault.properties?.sku).toEqual({ family: 'A', name: 'standard' });
  });

  test('its name is always a valid vault name (3-24 characters, a letter first), whatever the prefix', () => {
    // uniqueString() is 13 lowercase letters and digits.
    sameExpression(keyVault.name, "[variables('keyVaultName')]");
    expect(normalise(template.variables?.keyVaultName as string)).toBe(normalise("[format('kv-{0}', uniqueString(resourceGroup().id, parameters('namePrefix')))]"));
  });

  test("the bot's identity holds Key Vault Secrets User on the vault, and nothing more", () => {
    expect(template.variables?.keyVaultSecretsUserRoleId).toBe(KEY_VAULT_SECRETS_USER_ROLE);
    sameExpression(keyVaultRole.scope, `[format('Microsoft.KeyVault/vaults/{0}', ${nameSegments(keyVault)[0]})]`);
    sameExpression(keyVaultRole.properties?.roleDefinitionId, "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('keyVaultSecretsUserRoleId'))]");
    sameExpression(keyVaultRole.properties?.principalId, referenceTo(identity, 'principalId'));
    expect(keyVaultRole.properties?.principalType).toBe('ServicePrincipal');
    // A stable name (guid of vault, identity and role) keeps redeployments idempotent.
    sameExpression(keyVaultRole.name, `[guid(${resourceIdOf(keyVault)}, ${resourceIdOf(identity)}, variables('keyVaultSecretsUserRoleId'))]`);
  });

  test('App Service resolves the references as that identity, and the app starts only after the role is granted', () => {
    sameExpression(webApp.properties?.keyVaultReferenceIdentity, `[${resourceIdOf(identity)}]`);
    const dependsOn = (webApp.dependsOn ?? []).map((entry) => normalise(expressionOf(entry)));
    expect(dependsOn).toContain(resourceIdOf(keyVaultRole));
  });

  test('no secret value in the template: no secret resource, no secret parameter, and every secret setting is only a reference', () => {
    expect(template.resources.filter((resource) => /secrets/i.test(resource.type))).toEqual([]);
    expect(bicep).not.toMatch(/Microsoft\.KeyVault\/vaults\/secrets/);
    for (const [name, value] of appSettings()) {
      if (!SECRET_NAME.test(name)) continue;
      // The whole value is format('@Microsoft.KeyVault(SecretUri={0}secrets/<name>/)', <vault URI>): no literal after it.
      const [pattern, ...args] = splitArgs(expressionOf(value as string));
      expect([name, pattern, args.length]).toEqual([name, `'@Microsoft.KeyVault(SecretUri={0}secrets/${vaultSecretName(name)}/)'`, 1]);
    }
  });

  test('the deploy guide sets each secret once with az keyvault secret set, under the name the template reads', () => {
    const guide = readRepoFile('infra/README.md');
    for (const name of [...appSettings().keys()].filter((setting) => SECRET_NAME.test(setting))) {
      expect([name, guide.includes(`--name ${vaultSecretName(name)} `)]).toEqual([name, true]);
      expect(guide).toContain(name);
    }
    expect(guide).toMatch(/az keyvault secret set --vault-name /);
    expect(guide).toContain('Key Vault Secrets Officer');
  });

  test('the output names the vault', () => {
    expect(template.outputs.keyVaultName).toEqual({ type: 'string', value: "[variables('keyVaultName')]", metadata: expect.anything() });
  });
});

describe('infra/main.json: Azure Bot', () => {
  test('a global Azure Bot whose app is the user-assigned identity', () => {
    expect(bot.kind).toBe('azurebot');
    expect(bot.location).toBe('global');
    expect(bot.sku?.name).toBe("[parameters('botSku')]");
    expect(bot.properties?.displayName).toBe("[parameters('botDisplayName')]");
    expect(bot.properties?.msaAppType).toBe('UserAssignedMSI');
    sameExpression(bot.properties?.msaAppId, referenceTo(identity, 'clientId'));
    sameExpression(bot.properties?.msaAppMSIResourceId, `[${resourceIdOf(identity)}]`);
    expect(bot.properties?.msaAppTenantId).toBe("[parameters('tenantId')]");
    // The app the bot registers is the app the service authenticates as.
    expect(normalise(bot.properties?.msaAppId)).toBe(normalise(appSettings().get('MICROSOFT_APP_ID') as string));
  });

  test('its messaging endpoint is https://<web app host>/api/messages, a route the bot serves', () => {
    sameExpression(bot.properties?.endpoint, `[format('https://{0}/api/messages', ${expressionOf(referenceTo(webApp, 'defaultHostName'))})]`);
    expect(readRepoFile('src/server.ts')).toMatch(/server\.post\(\s*'\/api\/messages'/);
  });

  test('the Teams channel is on', () => {
    expect(nameSegments(teamsChannel)).toEqual([...nameSegments(bot), "'MsTeamsChannel'"]);
    expect(teamsChannel.properties?.channelName).toBe('MsTeamsChannel');
    expect(teamsChannel.properties?.properties?.isEnabled).toBe(true);
  });
});

describe('infra/main.json: outputs', () => {
  test('botEndpoint, appHostName, botAppId and cosmosEndpoint', () => {
    const { outputs } = template;
    for (const name of ['botEndpoint', 'appHostName', 'botAppId', 'cosmosEndpoint']) {
      expect([name, outputs[name]?.type]).toEqual([name, 'string']);
    }
    expect(outputs.botEndpoint?.value).toBe(bot.properties?.endpoint);
    sameExpression(outputs.appHostName?.value, referenceTo(webApp, 'defaultHostName'));
    sameExpression(outputs.botAppId?.value, referenceTo(identity, 'clientId'));
    sameExpression(outputs.cosmosEndpoint?.value, referenceTo(cosmos, 'documentEndpoint'));
  });
});

describe('infra: no secrets', () => {
  const SECRET_PROPERTY = /^(password|appPassword|appPasswordHint|clientSecret|secret|primaryMasterKey|secondaryMasterKey|accountKey|instrumentationKey|developerAppInsightKey|developerAppInsightsApiKey|luisKey)$/i;
  const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
  const parametersFile = loadParametersFile();
  // Account keys and client secrets are long runs of base64 mixing digits and both cases; resource
  // types and URLs split into shorter words or lack digits.
  const looksLikeKey = (word: string) => word.length >= 32 && /[a-z]/.test(word) && /[A-Z]/.test(word) && (word.match(/\d/g) ?? []).length >= 4;

  test('no list*() call fetches keys, connection strings or credentials', () => {
    for (const expression of expressionsIn({ template, parametersFile })) {
      expect([expression, /(^|[^A-Za-z0-9_.])list[A-Za-z]*\(/.test(expression)]).toEqual([expression, false]);
    }
    expect(bicep).not.toMatch(/\blist[A-Z]\w*\(/);
  });

  test('no secure or secret-named parameter, in the template, the Bicep or the parameters file', () => {
    for (const [name, parameter] of Object.entries(template.parameters)) {
      expect([name, parameter.type]).not.toEqual([name, expect.stringMatching(/^secure/i)]);
      expect(name).not.toMatch(/password|secret|key|token/i);
    }
    expect(bicep).not.toMatch(/@secure\(\)/);
    for (const name of Object.keys(parametersFile.parameters)) expect(name).not.toMatch(/password|secret|key|token/i);
  });

  test('no secret-bearing property or app setting', () => {
    eachString(template, (text, where) => {
      if (where.includes('<key ')) expect([where, SECRET_PROPERTY.test(text)]).toEqual([where, false]);
    });
    // A secret-named setting carries a Key Vault reference, never the secret (see 'infra/main.json: Key Vault').
    for (const [name, value] of appSettings()) {
      if (SECRET_NAME.test(name)) expect([name, String(value)]).toEqual([name, expect.stringMatching(/^\[format\('@Microsoft\.KeyVault\(SecretUri=\{0\}secrets\/[a-z-]+\/\)', reference\(/)]);
    }
  });

  test('no literal that looks like a key, and no hard-coded tenant, client or principal id', () => {
    const check = (value: unknown, source: string) =>
      eachString(value, (text, where) => {
        if (where === '$.metadata.bicepSourceHash') return;
        expect([source, where, text.split(/[^A-Za-z0-9+/=]+/).filter(looksLikeKey)]).toEqual([source, where, []]);
        for (const guid of text.match(GUID) ?? []) expect([source, where, BUILT_IN_ROLES.includes(guid)]).toEqual([source, where, true]);
      });
    check(template, 'main.json');
    check(parametersFile, 'main.parameters.json');
    for (const guid of bicep.match(GUID) ?? []) expect(BUILT_IN_ROLES).toContain(guid);
  });
});

describe('infra: main.bicep and main.json agree', () => {
  test('the same resource types at the same API versions', () => {
    const fromBicep = [...bicep.matchAll(/^resource\s+\w+\s+'([^'@]+)@([^']+)'/gm)].map((match) => `${match[1]}@${match[2]}`).sort();
    const fromJson = template.resources.map((resource) => `${resource.type}@${resource.apiVersion}`).sort();
    expect(fromBicep).toEqual(fromJson);
    const mentioned = [...bicep.matchAll(/'(Microsoft\.[A-Za-z]+\/[A-Za-z/]+)@([\w-]+)'/g)].map((match) => `${match[1]}@${match[2]}`);
    expect(mentioned.filter((typeAtVersion) => !fromJson.includes(typeAtVersion))).toEqual([]);
  });

  test('the same parameters: names, types, defaults, constraints and descriptions', () => {
    const declarations = [...bicep.matchAll(/((?:@\w+\((?:[^()]|\([^()]*\))*\)\s*)*)param\s+(\w+)\s+(\w+)(?:\s*=\s*(.+))?/g)];
    expect(declarations.map((match) => match[2]).sort()).toEqual(Object.keys(template.parameters).sort());
    for (const [, decorators = '', name = '', type, defaultText] of declarations) {
      const parameter = template.parameters[name]!;
      expect([name, parameter.type]).toEqual([name, type]);
      const literal = defaultText?.trim();
      if (literal === undefined || literal.startsWith('{')) {
        // object defaults are compared below via the parsed JSON only
      } else if (literal.startsWith("'")) expect([name, parameter.defaultValue]).toEqual([name, literal.slice(1, -1).replace(/\\'/g, "'")]);
      else if (/^-?\d+$/.test(literal)) expect([name, parameter.defaultValue]).toEqual([name, Number(literal)]);
      else expect([name, parameter.defaultValue]).toEqual([name, `[${literal}]`]);
      const decorator = (key: string) => new RegExp(`@${key}\\((-?\\d+)\\)`).exec(decorators)?.[1];
      for (const key of ['minLength', 'maxLength', 'minValue', 'maxValue'] as const) {
        const value = decorator(key);
        expect([name, key, parameter[key]]).toEqual([name, key, value === undefined ? undefined : Number(value)]);
      }
      const allowed = /@allowed\(\[([\s\S]*?)\]\)/.exec(decorators)?.[1];
      expect([name, parameter.allowedValues]).toEqual([name, allowed === undefined ? undefined : [...allowed.matchAll(/'([^']*)'/g)].map((match) => match[1])]);
      const description = /@description\('((?:[^'\\]|\\.)*)'\)/.exec(decorators)?.[1]?.replace(/\\'/g, "'");
      expect([name, (parameter as { metadata?: { description?: string } }).metadata?.description]).toEqual([name, description]);
    }
  });

  test('the same variables, literal values equal', () => {
    const declarations = [...bicep.matchAll(/^var\s+(\w+)\s*=\s*(.+)$/gm)];
    expect(declarations.map((match) => match[1]).sort()).toEqual(Object.keys(template.variables ?? {}).sort());
    for (const [, name = '', value = ''] of declarations) {
      if (/^'[^'$]*'$/.test(value.trim())) expect([name, template.variables?.[name]]).toEqual([name, value.trim().slice(1, -1)]);
    }
  });

  test('the same app settings in the same order, and the same outputs', () => {
    const settings = [...bicep.matchAll(/name:\s*'([A-Za-z_][A-Za-z0-9_]*)'\s*\n\s*value:/g)].map((match) => match[1]);
    expect(settings).toEqual([...appSettings().keys()]);
    const outputs = [...bicep.matchAll(/^output\s+(\w+)\s+(\w+)\s*=/gm)].map((match) => `${match[1]}:${match[2]}`);
    expect(outputs.sort()).toEqual(Object.entries(template.outputs).map(([name, output]) => `${name}:${output.type}`).sort());
  });

  test('the key switches are in both', () => {
    for (const line of [
      "linuxFxVersion: 'NODE|22-lts'",
      "healthCheckPath: '/healthz'",
      'httpsOnly: true',
      'alwaysOn: true',
      'disableLocalAuth: true',
      "name: 'EnableServerless'",
      "'/pk'",
      'defaultTtl: -1',
      "msaAppType: 'UserAssignedMSI'",
      "channelName: 'MsTeamsChannel'",
      "endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'",
    ]) {
      expect(bicep).toContain(line);
    }
  });
});

describe('infra: main.json was regenerated from the current Bicep', () => {
  const script = path.join(INFRA_DIR, 'update-hash.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { cwd: REPO_DIR, encoding: 'utf8' });

  test('metadata.bicepSourceHash is the hash of the Bicep sources', () => {
    expect(template.metadata?.bicepSourceFiles).toEqual(bicepSourceFiles());
    expect(template.metadata?.bicepSourceHash).toBe(bicepSourceHash());
  });

  test('infra/update-hash.js --check agrees', () => {
    const result = run('--check');
    expect([result.status, result.stderr]).toEqual([0, '']);
  });

  describe('infra/update-hash.js on a copy', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'lendos-infra-'));
      copyFileSync(path.join(INFRA_DIR, 'main.bicep'), path.join(dir, 'main.bicep'));
      copyFileSync(path.join(INFRA_DIR, 'main.json'), path.join(dir, 'main.json'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const readCopy = () => JSON.parse(readFileSync(path.join(dir, 'main.json'), 'utf8'));

    test('an edited Bicep fails --check until the script restamps main.json, leaving the rest as it was', () => {
      writeFileSync(path.join(dir, 'main.bicep'), `${bicep}\n// edited\n`);
      expect(run('--check', dir).status).toBe(1);
      expect(run(dir).status).toBe(0);
      expect(run('--check', dir).status).toBe(0);
      const restamped = readCopy();
      expect(restamped.metadata.bicepSourceHash).toBe(bicepSourceHash(dir));
      expect(restamped.metadata.bicepSourceHash).not.toBe(template.metadata?.bicepSourceHash);
      expect({ ...restamped, metadata: undefined }).toEqual({ ...template, metadata: undefined });
    });

    test('modules count: main.bicep first, then the others by path', () => {
      mkdirSync(path.join(dir, 'modules'));
      writeFileSync(path.join(dir, 'modules', 'b.bicep'), 'param b string\n');
      writeFileSync(path.join(dir, 'modules', 'a.bicep'), 'param a string\n');
      expect(run('--check', dir).status).toBe(1);
      expect(run(dir).status).toBe(0);
      expect(readCopy().metadata.bicepSourceFiles).toEqual(['main.bicep', 'modules/a.bicep', 'modules/b.bicep']);
      expect(readCopy().metadata.bicepSourceHash).toBe(bicepSourceHash(dir));
    });

    test('CRLF line endings hash the same as LF', () => {
      writeFileSync(path.join(dir, 'main.bicep'), bicep.replace(/\n/g, '\r\n'));
      expect(bicepSourceHash(dir)).toBe(bicepSourceHash());
      expect(run('--check', dir).status).toBe(0);
    });

    test('stamps a freshly compiled template that has no stamp yet', () => {
      const { metadata: _metadata, ...compiled } = template;
      writeFileSync(path.join(dir, 'main.json'), JSON.stringify({ ...compiled, metadata: { _generator: { name: 'bicep' } } }, null, 2));
      expect(run(dir).status).toBe(0);
      const stamped = readCopy();
      expect(stamped.metadata).toEqual({ _generator: { name: 'bicep' }, bicepSourceFiles: ['main.bicep'], bicepSourceHash: bicepSourceHash() });
    });
  });
});
