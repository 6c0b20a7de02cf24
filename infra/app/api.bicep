// The MultilateralFlows Functions app on Flex Consumption (.NET isolated worker), running as its user-assigned
// identity: storage through identity-based AzureWebJobsStorage__* settings, secrets through Key Vault references,
// telemetry through Entra ID. Its app settings are the Functions host's plus the workflow's options (Links__*,
// SendGrid__*, MailFolder__*); tests/MultilateralFlows.Infra.Tests checks them against the options the app binds.

@description('Name of the Functions app (globally unique: it is the default host name).')
param name string

@description('Azure region of the app.')
param location string

param tags object = {}

@description('The azure.yaml service this app hosts; azd finds the app by this tag.')
param serviceName string = 'api'

@description('Resource id of the Flex Consumption plan.')
param planId string

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Name of the storage account behind AzureWebJobsStorage.')
param storageAccountName string

@description('Blob container the Flex Consumption plan deploys the app package from.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Name of the Key Vault holding the secrets below.')
param keyVaultName string

@description('Name of the Key Vault secret holding the reply-link signing key (Links__SigningKey).')
param linksSigningKeySecretName string

@description('Name of the Key Vault secret holding the SendGrid API key (SendGrid__ApiKey); it may not exist yet.')
param sendGridApiKeySecretName string

@description('Sender address of every e-mail; a sender verified in SendGrid.')
param sendGridFromEmail string

@description('Sender name of every e-mail.')
param sendGridFromName string

@description('SendGrid Event Webhook verification key (public); empty: the webhook route refuses events.')
param sendGridWebhookPublicKey string

@description('What reply links start with; empty for the app\'s own https://<default host name>.')
param publicBaseUrl string = ''

@description('Client id of an Entra ID app registration (with the app role Coordinator) to put App Service authentication in front of the console and the coordinator routes; empty for none.')
param authClientId string = ''

@description('Memory of each instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

resource storage 'Microsoft.Storage/storageAccounts@2026-06-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' existing = {
  name: keyVaultName
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: planId
    httpsOnly: true
    // Key Vault references resolve with the user-assigned identity, not a system-assigned one (there is none).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Versionless Key Vault references: the app picks up a new secret version (e.g. a SendGrid key set later with
// `az keyvault secret set`) when App Service refreshes its references.
var keyVaultReference = '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/{0})'

// Keep this a literal object: the infra tests read the setting names from the compiled template.
resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    // The Functions host, the Durable Task hub and the workflow's own storage clients (StorageConnection) all read
    // these; no connection string, no account key.
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId

    // The host's root is not a page of this app: no default home page at https://<app>/.
    AzureWebJobsDisableHomepage: 'true'

    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

    Links__PublicBaseUrl: empty(publicBaseUrl) ? 'https://${functionApp.properties.defaultHostName}' : publicBaseUrl
    Links__SigningKey: format(keyVaultReference, linksSigningKeySecretName)

    SendGrid__ApiKey: format(keyVaultReference, sendGridApiKeySecretName)
    SendGrid__FromEmail: sendGridFromEmail
    SendGrid__FromName: sendGridFromName
    SendGrid__WebhookPublicKey: sendGridWebhookPublicKey

    // Housekeeping: the timer trigger's schedule (NCRONTAB with seconds, UTC) and how long finished rounds' engine
    // history is kept.
    Housekeeping__Schedule: '0 7 * * * *'
    Housekeeping__Retention: '30.00:00:00'

    // Used only while SendGrid__ApiKey is empty. Instance-local and lost on scale-in: in Azure the mail folder is a
    // stop-gap, not a mailbox, so set the SendGrid key before starting real rounds.
    MailFolder__Path: '/tmp/multilateralflows/mail'
  }
}

// Deployments (azd, the portal, CI) sign in with Entra ID; the FTP and SCM basic-auth publishing credentials are off.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

// App Service authentication with Entra ID in front of the console and the coordinator routes. The participant's reply
// routes (the token in the path is the credential), SendGrid's webhook (its signature), the health probe and the OpenAPI
// document stay anonymous. Function keys still apply behind it to the coordinator routes (AuthorizationLevel.Function).
// A browser without a session is sent to the Entra sign-in and comes back with a session cookie (no token store
// needed: the session cookie carries the sign-in); an API caller sends an Entra access token for this app as a bearer
// token. Either way the app then requires the app role Coordinator (CoordinatorSignIn) and names the person in the
// audit. The app role is defined on the app registration (README: Signing in), not here.
resource authSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: empty(authClientId)
    ? {
        platform: {
          enabled: false
        }
      }
    : {
        platform: {
          enabled: true
        }
        globalValidation: {
          requireAuthentication: true
          unauthenticatedClientAction: 'RedirectToLoginPage'
          redirectToProvider: 'azureactivedirectory'
          // Callers without an account in the tenant: participants (the reply token is the credential), probes, SendGrid's
          // Event Webhook (its signature is the credential), and whoever reads the API's description.
          excludedPaths: [
            '/api/reply/*'
            '/api/health'
            '/api/email/events'
            '/api/openapi.json'
          ]
        }
        identityProviders: {
          azureActiveDirectory: {
            enabled: true
            registration: {
              clientId: authClientId
              openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
            }
            validation: {
              allowedAudiences: [
                'api://${authClientId}'
                authClientId
              ]
            }
          }
        }
        login: {
          // Sign-in keeps the session in App Service's own cookie; the app needs no provider tokens, so none are stored.
          tokenStore: {
            enabled: false
          }
          cookieExpiration: {
            convention: 'FixedTime'
            timeToExpiration: '08:00:00'
          }
          // Only paths of this app after sign-in or sign-out: no open redirect through /.auth/login.
          allowedExternalRedirectUrls: []
        }
        httpSettings: {
          requireHttps: true
        }
      }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
output uri string = 'https://${functionApp.properties.defaultHostName}'
