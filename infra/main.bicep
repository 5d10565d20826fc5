// The @lendos release bot on Azure: one resource group holds the bot's identity, the Azure Bot
// (Teams channel), the Linux App Service that runs `node dist/src/main.js`, a serverless Cosmos DB
// account with the bot's one container, and Application Insights on a Log Analytics workspace.
//
// The bot authenticates to Bot Framework and to Cosmos DB with one user-assigned managed identity
// (MICROSOFT_APP_TYPE=UserAssignedMSI, DefaultAzureCredential), and the Cosmos account has key
// authentication switched off. The secrets of the optional integrations (Graph, GitHub, PagerDuty,
// the evidence-link key) live in a Key Vault the same identity may read; the app settings are Key
// Vault references, and the values are set once by an operator (infra/README.md), never here.
//
// infra/main.json is this file compiled to ARM JSON; after editing, regenerate it (see
// infra/README.md) and run `node infra/update-hash.js`, or test/infra fails.

@description('Prefix of every resource name: lowercase letters, digits and hyphens.')
@minLength(3)
@maxLength(20)
param namePrefix string = 'lendos'

@description('Region of every resource except the Azure Bot, which is global.')
param location string = resourceGroup().location

@description('Entra tenant the bot serves (MICROSOFT_APP_TENANT_ID); must equal tenantId in the bot config.')
param tenantId string = subscription().tenantId

@description('Name of the bot in Teams and in the Azure portal.')
param botDisplayName string = 'LendOS Release Bot'

@description('App Service plan SKU (Linux). Always On needs Basic or above.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
])
param sku string = 'B1'

@description('Azure Bot SKU. Teams is a standard channel, free on F0.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Cosmos DB database id (COSMOS_DATABASE).')
param cosmosDatabaseName string = 'lendos'

@description('Cosmos DB container id (COSMOS_CONTAINER).')
param cosmosContainerName string = 'releases'

@description('Bot config file in the deployed package, relative to the app root (LENDOS_CONFIG). Set explicitly so a package without it fails at start instead of running on the example config.')
param configPath string = 'config/lendos.json'

@description('Tenant of the Graph app registration that creates deployment meetings (GRAPH_TENANT_ID); empty: meetings are prefilled Teams links. Its client secret is graph-client-secret in the Key Vault.')
param graphTenantId string = ''

@description('Client id of that Graph app registration (GRAPH_CLIENT_ID); empty: no Graph.')
param graphClientId string = ''

@description('owner/repo bugs are filed in, RC contents read from and releases published to (GITHUB_REPOSITORY); empty: bugs are recorded only. Its token is github-token in the Key Vault.')
param gitHubRepository string = ''

@description('Days the Log Analytics workspace keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Tags on every resource.')
param tags object = {
  app: 'lendos-release-bot'
}

// Web app and Cosmos account names are public DNS names, so they carry a suffix unique to the
// resource group; the suffix is stable, so redeploying updates the same resources.
var suffix = uniqueString(resourceGroup().id)
var identityName = '${namePrefix}-bot-identity'
var workspaceName = '${namePrefix}-logs'
var appInsightsName = '${namePrefix}-insights'
var planName = '${namePrefix}-plan'
var webAppName = '${namePrefix}-${suffix}'
var botName = '${namePrefix}-bot-${suffix}'
var cosmosAccountName = toLower('${namePrefix}-${suffix}')
// Cosmos DB Built-in Data Contributor: read, write and query items; no control-plane rights.
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'
// Vault names are global, 3-24 characters: 'kv-' and a hash of the group and the prefix.
var keyVaultName = 'kv-${uniqueString(resourceGroup().id, namePrefix)}'
// Key Vault Secrets User (built-in Azure role): read secret values; no listing of keys, no writes.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: cosmosAccountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    // Entra ID only: the bot's identity holds a data-plane role, nobody holds a key.
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
  }
}

resource cosmosDatabase 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: cosmos
  name: cosmosDatabaseName
  properties: {
    resource: {
      id: cosmosDatabaseName
    }
  }
}

// The shape the bot checks at start (src/store/cosmos-store.ts): partition key /pk, TTL on with
// no default (-1), so documents carrying a `ttl` expire and the others never do.
resource cosmosContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: cosmosDatabase
  name: cosmosContainerName
  properties: {
    resource: {
      id: cosmosContainerName
      partitionKey: {
        paths: [
          '/pk'
        ]
        kind: 'Hash'
        version: 2
      }
      defaultTtl: -1
    }
  }
}

resource cosmosDataRole 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmos
  name: guid(cosmos.id, identity.id, cosmosDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
    principalId: identity.properties.principalId
    scope: cosmos.id
  }
}

// Secrets of the optional integrations. RBAC, not access policies: the bot's identity reads secrets
// and nothing else. Soft delete with purge protection: a deleted secret or vault can be recovered
// for 90 days and nobody can destroy it earlier, so a mistaken delete never loses a signing key.
resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    // App Service resolves the references over the public endpoint (no virtual network here).
    publicNetworkAccess: 'Enabled'
  }
}

resource keyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, identity.id, keyVaultSecretsUserRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: sku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2024-04-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve as the bot's identity (without this, as a system-assigned one it lacks).
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      // `npm start` runs the local playground; production runs the bot alone, with the memory
      // flags package.json's serve script gives it.
      appCommandLine: 'npm run serve'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        {
          name: 'MICROSOFT_APP_ID'
          value: identity.properties.clientId
        }
        {
          name: 'MICROSOFT_APP_TYPE'
          value: 'UserAssignedMSI'
        }
        {
          name: 'MICROSOFT_APP_TENANT_ID'
          value: tenantId
        }
        {
          // DefaultAzureCredential (Cosmos DB) signs in as this user-assigned identity.
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'COSMOS_ENDPOINT'
          value: cosmos.properties.documentEndpoint
        }
        {
          name: 'COSMOS_DATABASE'
          value: cosmosDatabaseName
        }
        {
          name: 'COSMOS_CONTAINER'
          value: cosmosContainerName
        }
        {
          name: 'LENDOS_CONFIG'
          value: configPath
        }
        {
          name: 'NODE_ENV'
          value: 'production'
        }
        {
          name: 'GRAPH_TENANT_ID'
          value: graphTenantId
        }
        {
          name: 'GRAPH_CLIENT_ID'
          value: graphClientId
        }
        {
          name: 'GITHUB_REPOSITORY'
          value: gitHubRepository
        }
        // Secrets: versionless references (the latest version; App Service re-reads them within a
        // day, or at once on a refresh). Unset in the vault, the bot reads them as unset.
        {
          name: 'GRAPH_CLIENT_SECRET'
          value: '@Microsoft.KeyVault(SecretUri=${keyVault.properties.vaultUri}secrets/graph-client-secret/)'
        }
        {
          name: 'GITHUB_TOKEN'
          value: '@Microsoft.KeyVault(SecretUri=${keyVault.properties.vaultUri}secrets/github-token/)'
        }
        {
          name: 'GITHUB_WEBHOOK_SECRET'
          value: '@Microsoft.KeyVault(SecretUri=${keyVault.properties.vaultUri}secrets/github-webhook-secret/)'
        }
        {
          name: 'PAGERDUTY_TOKEN'
          value: '@Microsoft.KeyVault(SecretUri=${keyVault.properties.vaultUri}secrets/pagerduty-token/)'
        }
        {
          name: 'EVIDENCE_LINK_KEY'
          value: '@Microsoft.KeyVault(SecretUri=${keyVault.properties.vaultUri}secrets/evidence-link-key/)'
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          // Application Insights agent for Node.js on App Service Linux: requests and dependencies.
          name: 'ApplicationInsightsAgent_EXTENSION_VERSION'
          value: '~3'
        }
        {
          name: 'WEBSITE_RUN_FROM_PACKAGE'
          value: '1'
        }
        {
          // The package is built in CI (dist/ and production node_modules); no Oryx build here.
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false'
        }
      ]
    }
  }
  // The bot reads and writes the container, and its secrets, from its first start.
  dependsOn: [
    cosmosContainer
    cosmosDataRole
    keyVaultSecretsUser
  ]
}

// Console output (the bot's pino JSON lines), HTTP and platform logs go to the workspace.
resource webAppLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: webApp
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
    }
  }
}

@description('Messaging endpoint registered on the Azure Bot.')
output botEndpoint string = 'https://${webApp.properties.defaultHostName}/api/messages'

@description('Host name of the web app: BOT_DOMAIN (validDomains) in the Teams app manifest.')
output appHostName string = webApp.properties.defaultHostName

@description('Bot app id: the managed identity\'s client id; the bot id in the Teams app manifest.')
output botAppId string = identity.properties.clientId

@description('Cosmos DB endpoint the bot uses (COSMOS_ENDPOINT).')
output cosmosEndpoint string = cosmos.properties.documentEndpoint

@description('Key Vault holding the secrets: az keyvault secret set --vault-name <keyVaultName>.')
output keyVaultName string = keyVault.name

@description('Web app to deploy the package to: az webapp deploy --name <webAppName>.')
output webAppName string = webApp.name

@description('Azure Bot resource name.')
output botName string = bot.name
