package kubectl

import (
	"context"
	"errors"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/jwtexp"
	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/plugin/errdefs"
)

// Protocol is keyfob kubectl: the exec credential plugin protocol as a
// keyfob command.
type Protocol struct{}

var _ protocol.Protocol = Protocol{}

// Name is the keyfob command.
func (Protocol) Name() string { return "kubectl" }

// Aliases is empty: a kubeconfig runs keyfob kubectl.
func (Protocol) Aliases() []string { return nil }

// Help describes keyfob kubectl.
func (Protocol) Help() protocol.Help {
	return protocol.Help{
		Use:   "kubectl",
		Short: "kubectl / client-go exec credential plugin: print an ExecCredential",
		Long: `Prints one ExecCredential for the apiVersion in KUBERNETES_EXEC_INFO (v1beta1 when unset).
The profile is -p, else the cluster's exec extension "profile" (with provideClusterInfo),
else $KEYFOB_PROFILE, else default_profile, else environment. The extension may also give
"audience" (requests AUDIENCE/.default) or "scopes". use_id_token = true hands out the
OpenID Connect ID token instead of the access token.`,
		Example: `  keyfob kubeconfig -p aks        # prints a ready users entry
  keyfob kubectl -p aks          # what kubectl runs`,
		Profile: protocol.AsToken, UserStdin: true,
	}
}

// Serve answers client-go's exec credential request: the profile is
// selected as for keyfob token, after the cluster's exec extension.
func (Protocol) Serve(ctx context.Context, s protocol.Session, _ []string) error {
	info, err := ParseExecInfo(s.Getenv(EnvVar))
	if err != nil {
		return configError(s, "%v", err)
	}
	cc, err := info.ClusterConfig()
	if err != nil {
		return configError(s, "%v", err)
	}
	if info.Interactive != nil && !*info.Interactive {
		s.StdinNotUser()
	}
	p, err := s.Default(cc.Profile)
	if err != nil {
		return err
	}
	if note := ServerNote(info, p.Name); note != "" {
		return configError(s, "%s", note)
	}
	return answer(ctx, s, info, p, cc.RequestedScopes())
}

// answer writes the ExecCredential of profile p's token.
func answer(ctx context.Context, s protocol.Session, info *ExecInfo, p *protocol.Profile, scopes []string) error {
	usable := func(e *cache.Entry, now time.Time, minValidity time.Duration) bool {
		_, _, fresh, err := Token(p.Values, e, now, minValidity)
		return fresh || err != nil // a new token does not bring the missing ID token
	}
	e, err := s.Token(ctx, p, protocol.Want{Scopes: scopes, Usable: usable})
	if err != nil {
		return err
	}
	tok, exp, _, err := Token(p.Values, e, time.Time{}, 0)
	if err != nil {
		return configError(s, "profile %q: %v", p.Name, err)
	}
	return Write(s.Stdout(), info.APIVersion, tok, exp)
}

// configError is a configuration error (exit 2) in the engine; the front
// hands off.
func configError(s protocol.Session, format string, args ...any) error {
	if s.CacheOnly() {
		return protocol.ErrHandOff
	}
	return errdefs.Configf(format, args...)
}

// UseIDToken reports whether a profile hands out its ID token instead of
// its access token (use_id_token = true), for Kubernetes clusters that
// authenticate OpenID Connect ID tokens.
func UseIDToken(values map[string]string) bool { return values["use_id_token"] == "true" }

// ErrNoIDToken is Token's error for a use_id_token profile whose server
// returned no ID token.
var ErrNoIDToken = errors.New("use_id_token is set but the server returned no ID token (request the openid scope)")

// Token returns the token and expiry a kubectl answer carries: the access
// token and the entry's host expiry, or with use_id_token the ID token,
// expiring at the earlier of that and the ID token's own exp less the
// entry's margin. fresh is false when the ID token will not last
// minValidity from now; the caller then gets a new one.
func Token(values map[string]string, e *cache.Entry, now time.Time, minValidity time.Duration) (token string, expiry time.Time, fresh bool, err error) {
	expiry = cache.HostExpiry(e)
	if !UseIDToken(values) {
		return e.AccessToken, expiry, true, nil
	}
	if e.IDToken == "" {
		return "", time.Time{}, false, ErrNoIDToken
	}
	if exp, ok := jwtexp.Expiry(e.IDToken); ok {
		if idExp := exp.Add(-cache.Margin(e)); expiry.IsZero() || idExp.Before(expiry) {
			expiry = idExp
		}
	}
	fresh = expiry.IsZero() || expiry.Sub(now) >= minValidity
	return e.IDToken, expiry, fresh, nil
}

// ServerNote is the note refusing to send profile name's token to the
// cluster's API server (protocol.HTTPS), or "" when it may go there or
// client-go did not say where it goes (no provideClusterInfo).
func ServerNote(info *ExecInfo, name string) string {
	if info.Cluster == nil || info.Cluster.Server == "" {
		return ""
	}
	return protocol.HTTPS.Note(name, info.Cluster.Server)
}
