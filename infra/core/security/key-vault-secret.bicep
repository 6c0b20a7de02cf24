// One secret in an existing Key Vault.

@description('Name of the Key Vault.')
param keyVaultName string

@description('Name of the secret (letters, digits and dashes).')
param name string

@secure()
@description('Value of the secret.')
param value string

param tags object = {}

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' existing = {
  name: keyVaultName
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = {
  parent: vault
  name: name
  tags: tags
  properties: {
    value: value
    contentType: 'text/plain'
  }
}

output name string = secret.name
