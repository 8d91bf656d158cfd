package google

import (
	"fmt"
	"strings"
)

// Token types of the protocol.
const (
	// TokenTypeJWT is an OAuth JWT, such as an Entra access token.
	TokenTypeJWT = "urn:ietf:params:oauth:token-type:jwt"
	// TokenTypeIDToken is an OpenID Connect ID token.
	TokenTypeIDToken = "urn:ietf:params:oauth:token-type:id_token"
	// TokenTypeSAML2 is a SAML 2.0 assertion; keyfob never issues one.
	TokenTypeSAML2 = "urn:ietf:params:oauth:token-type:saml2"
)

// Environment variables the auth libraries set for the executable.
const (
	// EnvAudience holds the workload identity provider's audience.
	EnvAudience = "GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE"
	// EnvTokenType holds the configuration's subject_token_type.
	EnvTokenType = "GOOGLE_EXTERNAL_ACCOUNT_TOKEN_TYPE"
	// EnvInteractive is "1" when gcloud runs the executable interactively,
	// else "0".
	EnvInteractive = "GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE"
	// EnvOutputFile names the file the answer must also be written to.
	EnvOutputFile = "GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE"
	// EnvImpersonatedEmail names the service account to be impersonated.
	EnvImpersonatedEmail = "GOOGLE_EXTERNAL_ACCOUNT_IMPERSONATED_EMAIL"
	// EnvRevoke is "1" when the executable is asked to sign out (Python).
	EnvRevoke = "GOOGLE_EXTERNAL_ACCOUNT_REVOKE"
)

// Mode is how the library runs the executable.
type Mode int

const (
	// Standalone: GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE is unset, so no auth
	// library started the executable (a person or a script did).
	Standalone Mode = iota
	// NonInteractive: the library captures stdout and stderr and nobody
	// watches; the executable must not wait for a person.
	NonInteractive
	// Interactive: gcloud connected the terminal to the executable and
	// reads the answer from the output file.
	Interactive
)

// Request is what the auth library tells the executable through its
// environment.
type Request struct {
	// Audience is the workload identity provider's audience,
	// "//iam.googleapis.com/projects/…/providers/…".
	Audience string
	// TokenType is the configuration's subject_token_type, "" when unset.
	TokenType string
	// Mode tells whether a person can be reached.
	Mode Mode
	// OutputFile is where the answer must also be written, "" for none.
	OutputFile string
	// ImpersonatedEmail is the service account Google will impersonate with
	// the exchanged token; informational.
	ImpersonatedEmail string
	// Revoke asks the executable to sign out rather than answer a token.
	Revoke bool
}

// ReadRequest reads the request from the environment. Surrounding spaces
// are ignored.
func ReadRequest(getenv func(string) string) Request {
	v := func(name string) string { return strings.TrimSpace(getenv(name)) }
	r := Request{
		Audience:          v(EnvAudience),
		TokenType:         v(EnvTokenType),
		OutputFile:        v(EnvOutputFile),
		ImpersonatedEmail: v(EnvImpersonatedEmail),
		Revoke:            v(EnvRevoke) == "1",
	}
	switch v(EnvInteractive) {
	case "":
		r.Mode = Standalone
	case "1":
		r.Mode = Interactive
	default:
		r.Mode = NonInteractive
	}
	return r
}

// AudienceURL returns the audience as an https URL
// ("//iam.googleapis.com/x" becomes "https://iam.googleapis.com/x"), so it
// can be matched against a profile's hosts, or "" when it is not of that
// form.
func (r Request) AudienceURL() string {
	rest, ok := strings.CutPrefix(r.Audience, "//")
	if !ok || rest == "" || strings.ContainsAny(rest, " \t\r\n") {
		return ""
	}
	return "https://" + rest
}

// ResponseTokenType is the token_type to answer with: the configured
// subject_token_type when it is a JWT or ID token type, otherwise (when
// unset) TokenTypeIDToken for an ID token and TokenTypeJWT for an access
// token. A SAML or unknown type is an error: keyfob issues only JWTs.
func (r Request) ResponseTokenType(idToken bool) (string, error) {
	switch r.TokenType {
	case TokenTypeJWT, TokenTypeIDToken:
		return r.TokenType, nil
	case "":
		if idToken {
			return TokenTypeIDToken, nil
		}
		return TokenTypeJWT, nil
	}
	return "", fmt.Errorf("subject_token_type %q is not supported: keyfob answers %s or %s", r.TokenType, TokenTypeJWT, TokenTypeIDToken)
}
