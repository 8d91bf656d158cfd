// Package google speaks the executable-sourced credentials protocol of
// Google's auth libraries ("pluggable auth"), used by workload and
// workforce identity federation to get a subject token from an outside
// identity provider such as Microsoft Entra ID.
//
// A credential configuration of type external_account names a command in
// credential_source.executable.command. The library splits it on
// whitespace (no shell, no quoting), runs it with
// GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1 required in its own
// environment, and adds to the executable's environment:
//
//	GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE            the workload identity provider's audience
//	GOOGLE_EXTERNAL_ACCOUNT_TOKEN_TYPE          subject_token_type of the configuration
//	GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE         0, or 1 when gcloud runs it interactively
//	GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE         output_file, when configured
//	GOOGLE_EXTERNAL_ACCOUNT_IMPERSONATED_EMAIL  the service account to impersonate, if any
//	GOOGLE_EXTERNAL_ACCOUNT_REVOKE              1 when signing out (Python, interactive only)
//
// The executable answers with one version-1 JSON object on stdout and,
// when an output file is configured, writes the same object there; the
// library reads that file first on later runs and only runs the executable
// again when it is missing, failed or expired:
//
//	{"version":1,"success":true,"token_type":"urn:ietf:params:oauth:token-type:jwt","id_token":"eyJ…","expiration_time":1767323045}
//	{"version":1,"success":false,"code":"invalid_client","message":"…"}
//
// An Entra access token is a JWT, so token_type is
// urn:ietf:params:oauth:token-type:jwt; an OpenID Connect ID token may be
// sent as urn:ietf:params:oauth:token-type:id_token. Both travel in the
// id_token field. expiration_time is in Unix seconds. A failure is best
// reported as success:false with exit status 0: on a non-zero status the
// Go library shows only the status and the Python library mixes stderr
// into what it parses, so the executable should write nothing to stderr
// at all in the non-interactive mode.
//
// The package is pure: it reads the environment through a function and
// renders and parses bytes, so it is table-, golden- and fuzz-tested.
package google
