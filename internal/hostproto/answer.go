package hostproto

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/host/docker"
	"github.com/keyfob/keyfob/host/git"
	"github.com/keyfob/keyfob/host/jwtexp"
	"github.com/keyfob/keyfob/host/kubectl"
	"github.com/keyfob/keyfob/internal/config"
)

// DefaultUsername is the user name reported with a token to git and
// docker when the profile sets none (git_username, docker_username): git
// needs one, servers that take a token as a Basic password ignore it, and
// GitLab expects exactly this one for OAuth tokens.
const DefaultUsername = "oauth2"

// GitCredential is keyfob's answer to git's get: the Bearer form when git
// announced capability[]=authtype, else username and password. The user
// name is git_username, else the request's own, else DefaultUsername.
func GitCredential(req *git.Request, values map[string]string, e *cache.Entry) git.Credential {
	user := firstOf(values["git_username"], req.Username, DefaultUsername)
	return git.Credential{Username: user, Token: e.AccessToken, Expiry: cache.HostExpiry(e), Bearer: req.Has("authtype")}
}

// DockerCredentials is keyfob's answer to docker's get for an access
// token: docker_username (else DefaultUsername) and the token as the
// secret. It never uses docker.IdentityTokenUser, which would make docker
// treat the access token as a registry refresh token.
func DockerCredentials(s docker.Server, values map[string]string, token string) docker.Credentials {
	return docker.Credentials{ServerURL: s.URL, Username: DockerUsername(values), Secret: token}
}

// DockerUsername is the user name docker is told for a profile.
func DockerUsername(values map[string]string) string {
	if ACRExchange(values) {
		return docker.IdentityTokenUser
	}
	return firstOf(values["docker_username"], DefaultUsername)
}

// UseIDToken reports whether a profile hands out its ID token instead of
// its access token (use_id_token = true), for Kubernetes clusters that
// authenticate OpenID Connect ID tokens.
func UseIDToken(values map[string]string) bool { return values["use_id_token"] == "true" }

// ErrNoIDToken is KubeToken's error for a use_id_token profile whose
// server returned no ID token.
var ErrNoIDToken = errors.New("use_id_token is set but the server returned no ID token (request the openid scope)")

// KubeToken returns the token and expiry a kubectl answer carries: the
// access token and the entry's host expiry, or with use_id_token the ID
// token, expiring at the earlier of that and the ID token's own exp less
// the entry's margin. fresh is false when the ID token will not last
// minValidity from now; the caller then gets a new one.
func KubeToken(values map[string]string, e *cache.Entry, now time.Time, minValidity time.Duration) (token string, expiry time.Time, fresh bool, err error) {
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

// KubeCluster returns the cluster's exec extension, as
// kubectl.ExecInfo.ClusterConfig does, or an error when client-go gave the
// cluster's API server (provideClusterInfo) and no token may go there
// (HTTPS.Note): plain http to another machine, or a scheme other than
// https. The front declines then, and the engine refuses (exit 2).
func KubeCluster(info *kubectl.ExecInfo) (kubectl.ClusterConfig, error) {
	if note := KubeServerNote(info, ""); note != "" {
		return kubectl.ClusterConfig{}, errors.New(note)
	}
	return info.ClusterConfig()
}

// KubeServerNote is the note refusing to send profile name's token to the
// cluster's API server, or "" when it may go there or client-go did not
// say where it goes.
func KubeServerNote(info *kubectl.ExecInfo, name string) string {
	if info.Cluster == nil || info.Cluster.Server == "" {
		return ""
	}
	return HTTPS.Note(name, info.Cluster.Server)
}

// ACRExchange reports whether a profile trades its Entra token for an
// Azure Container Registry refresh token for docker (acr_exchange = true).
func ACRExchange(values map[string]string) bool { return values["acr_exchange"] == "true" }

// acrRegistryKey is the key under which the registry enters the ACR
// refresh token's cache key; a dash keeps it apart from every profile key.
const acrRegistryKey = "acr-registry"

// ACRKey is the cache key of the ACR refresh token for registry, derived
// from the key of the profile's access token: the request's account and
// credential fingerprint stay part of it.
func ACRKey(req tokenkey.Request, registry string) string {
	values := make(map[string]string, len(req.Values)+1)
	for k, v := range req.Values {
		values[k] = v
	}
	values[acrRegistryKey] = strings.ToLower(registry)
	req.Values = values
	return tokenkey.Access(req, config.IsSecret)
}

// ACRTenant is the tenant sent with the exchange: tenant_id, else the
// tenant of the authority URL unless it is common, organizations or
// consumers; "" when unknown.
func ACRTenant(values map[string]string) string {
	if t := values["tenant_id"]; t != "" {
		return t
	}
	u, err := url.Parse(values["authority"])
	if err != nil {
		return ""
	}
	t, _, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	switch strings.ToLower(t) {
	case "common", "organizations", "consumers":
		return ""
	}
	return t
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
