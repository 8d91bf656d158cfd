// Package entraprofile expands a profile's Microsoft Entra ID shorthands
// on the host, before the profile's cache keys are computed and before the
// plugin is started:
//
//   - provider = "environment" takes its settings from the Azure SDKs'
//     environment variables (AZURE_TENANT_ID, AZURE_CLIENT_ID,
//     AZURE_CLIENT_SECRET, …) and Terraform's ARM_* names, choosing the
//     credential in the order of azidentity's EnvironmentCredential. Secret
//     values become env:NAME references, resolved later like any other;
//   - tenant_id with cloud, authority_host or $AZURE_AUTHORITY_HOST becomes
//     an authority (https://HOST/TENANT);
//   - preset = "graph" (or arm, aks, azure-devops, keyvault, storage, acr)
//     fills scopes, host patterns and defaults for the profile's cloud.
//
// A key the profile sets always wins over what Expand would fill in.
//
// The plugins run with a restricted environment, so the host is the one
// that reads these variables (CONTRACT §8). Presets expand here, not in a
// plugin, because the host needs their hosts for host matching and their
// scopes for cache keys. The package imports only the standard library and
// plugin/errdefs, so the lean front executable may use it on the
// cache-hit path.
package entraprofile
