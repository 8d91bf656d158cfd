// Package azurecli is the azure_cli provider: a token from the Azure
// CLI's own sign-in, for a developer who has run "az login".
//
// It runs
//
//	az account get-access-token --output json --scope SCOPE [--tenant T | --subscription S]
//
// (--resource R instead of --scope when the profile names a resource), and
// reads accessToken, expires_on (POSIX seconds, Azure CLI 2.54.0 and
// later) or else expiresOn (local time "2006-01-02 15:04:05.999999"), and
// tokenType from its output.
//
// The command runs without a shell: the executable is found on PATH ("az",
// and "az.cmd" on Windows) or named by az_path, and every argument is
// passed as one argv entry after checking it against a strict character
// set (as azidentity's AzureCLICredential does) and refusing a leading
// "-", so a profile value can never become a shell command or an az
// option. Its stdin is not attached, it gets a timeout (30 s by default,
// and never beyond the caller's deadline), and on Unix it runs in its own
// process group, killed as a whole on timeout.
//
// The token belongs to az's session, not keyfob's: it is returned with
// plugin.Token.NoCache, so the host never keeps it and "az logout" takes
// effect at once (Azure/kubelogin#137). az caches its tokens itself.
//
// When az is not signed in (its error says to run "az login") the
// provider fails with plugin.ErrInteractionRequired and that hint. A
// claims challenge cannot be met by az non-interactively; the error names
// the "az login --claims-challenge" command that can.
package azurecli
