// The Flex Consumption plan the Functions app runs on: Linux, scale to zero, billed per execution.

@description('Name of the plan.')
param name string

@description('Azure region of the plan.')
param location string

param tags object = {}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    // Linux: the only operating system Flex Consumption runs.
    reserved: true
  }
}

output id string = plan.id
output name string = plan.name
