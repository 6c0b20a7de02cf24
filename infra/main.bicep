// MultilateralFlows in Azure: `azd up` provisions this, then deploys functions/MultilateralFlows.Functions to it.
// One resource group per azd environment; every name carries a token derived from the subscription, environment and
// region, so environments never collide. Nothing holds a shared storage key: the app's user-assigned identity has
// data roles on storage, Key Vault and Application Insights.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used for the resource group name and the resource token.')
param environmentName string

@minLength(1)
@description('Azure region for every resource. It must offer the Flex Consumption plan: `az functionapp list-flexconsumption-locations`.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of a user or service principal to grant data access to storage and the right to set Key Vault secrets (azd passes the signed-in principal); empty for none.')
param principalId string = deployer().objectId

@minLength(3)
@description('Sender address of every e-mail (SendGrid__FromEmail): a sender verified in SendGrid.')
param sendGridFromEmail string

@description('Sender name of every e-mail (SendGrid__FromName).')
param sendGridFromName string = 'MultilateralFlows'

@description('The public key SendGrid shows for the signed Event Webhook (base64 DER); empty until the webhook is set up: POST /api/email/events then answers 503.')
param sendGridWebhookPublicKey string = ''

@secure()
@description('SendGrid API key. Empty keeps whatever the vault already holds (or nothing); set it later with `az keyvault secret set`.')
param sendGridApiKey string = ''

@secure()
@minLength(32)
@description('The secret reply tokens are derived from (Links__SigningKey). azd generates it once per environment and keeps it: to rotate it, set the old key as Links__PreviousSigningKeys until the rounds opened before have closed.')
@metadata({
  azd: {
    type: 'generate'
    config: {
      length: 64
      noSpecial: true
    }
  }
})
param linksSigningKey string

@description('What reply links start with (Links__PublicBaseUrl), e.g. a custom domain; empty for the app\'s own https://<default host name>.')
param publicBaseUrl string = ''

@description('Client id of an Entra ID app registration (with the app role Coordinator): turns on App Service authentication for the console and the coordinator routes; empty leaves it off.')
param authClientId string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
var deploymentContainerName = 'app-package'
var linksSigningKeySecretName = 'links-signing-key'
var sendGridApiKeySecretName = 'sendgrid-api-key'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'core/security/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    containers: [deploymentContainerName]
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module keyVault 'core/security/key-vault.bicep' = {
  name: 'keyVault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
  }
}

module linksSigningKeySecret 'core/security/key-vault-secret.bicep' = {
  name: 'linksSigningKeySecret'
  scope: rg
  params: {
    keyVaultName: keyVault.outputs.name
    name: linksSigningKeySecretName
    value: linksSigningKey
  }
}

// Only written when given: a provision without the key leaves a key set with `az keyvault secret set` alone.
module sendGridApiKeySecret 'core/security/key-vault-secret.bicep' = if (!empty(sendGridApiKey)) {
  name: 'sendGridApiKeySecret'
  scope: rg
  params: {
    keyVaultName: keyVault.outputs.name
    name: sendGridApiKeySecretName
    value: sendGridApiKey
  }
}

module plan 'core/host/flex-consumption-plan.bicep' = {
  name: 'plan'
  scope: rg
  params: {
    name: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  // The app starts as soon as its settings are written: its identity must already reach storage and the vault, and
  // the secrets must exist, or the Key Vault references stay unresolved until App Service next refreshes them.
  dependsOn: [
    rbac
    linksSigningKeySecret
    sendGridApiKeySecret
  ]
  params: {
    name: functionAppName
    location: location
    tags: tags
    planId: plan.outputs.id
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    linksSigningKeySecretName: linksSigningKeySecretName
    sendGridApiKeySecretName: sendGridApiKeySecretName
    sendGridFromEmail: sendGridFromEmail
    sendGridFromName: sendGridFromName
    sendGridWebhookPublicKey: sendGridWebhookPublicKey
    publicBaseUrl: publicBaseUrl
    authClientId: authClientId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
