package front

import (
	"bytes"
	"io"
	"strings"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/host/docker"
	"github.com/keyfob/keyfob/host/git"
	"github.com/keyfob/keyfob/host/kubectl"
	"github.com/keyfob/keyfob/internal/hostproto"
)

// The host protocols' cache-hit paths. Each mirrors its command in
// internal/cli (git.go, kubectl.go, docker.go):
// same selection, same answer; anything else goes to the engine.

// hostProfile selects the profile for a host protocol's request as the
// engine does (cli's hostProfile): nothing is true when no profile serves
// r (after saying why on stderr if a selected one refuses); ok is false
// to decline.
func hostProfile(env Env, flagProfile string, r hostproto.Request) (values map[string]string, nothing, ok bool) {
	f, ok := loadConfig(env)
	if !ok {
		return nil, false, false
	}
	name, found := hostproto.Choose(f, env.Getenv, flagProfile, r)
	if !found {
		return nil, true, true
	}
	if values, ok = expanded(env, f, name); !ok {
		return nil, false, false
	}
	if why := hostproto.Refusal(name, values, r, flagProfile != ""); why != "" {
		_, _ = io.WriteString(env.Stderr, "keyfob: "+why+"\n")
		return nil, true, true
	}
	return values, false, true
}

// fixed is a minimum validity that does not depend on the entry.
func fixed(v time.Duration) func(*cache.Entry) time.Duration {
	return func(*cache.Entry) time.Duration { return v }
}

// exit is the answer of a protocol step: its exit code, or 1 when
// writing it failed, saying why on stderr in the one line the engine
// prints for the same failure (cli.Main), e.g. git's refusal of a
// credential value with a line break.
func exit(env Env, code int, err error) (int, bool) {
	if err != nil {
		_, _ = io.WriteString(env.Stderr, "keyfob: "+strings.Join(strings.Fields(err.Error()), " ")+"\n")
		return 1, true
	}
	return code, true
}

// serveGit answers git get; store and unknown actions do nothing (see
// cli's git command); erase goes to the engine.
func serveGit(env Env, args []string) (int, bool) {
	a, ok := parseHostArgs(args)
	if !ok || len(a.positional) != 1 {
		return 0, false
	}
	switch a.positional[0] {
	case "get":
	case "erase":
		return 0, false
	default:
		return 0, true
	}
	data, err := env.Stdin.Within("git", a.timeout).ReadUntil(git.MaxInput, git.Complete)
	if err != nil {
		return readFailed(env, err, nil)
	}
	req, err := git.Parse(bytes.NewReader(data))
	if err != nil {
		return 0, false
	}
	r, ok := hostproto.FromGit(req)
	if !ok {
		return 0, true
	}
	values, nothing, ok := hostProfile(env, a.profile, r)
	if !ok || nothing {
		return 0, ok
	}
	e, ok := lookup(env, tokenkey.Request{Values: values, Scopes: a.scopes}, a.minValidity)
	if !ok {
		return 0, false
	}
	return exit(env, 0, git.Write(env.Stdout, hostproto.GitCredential(req, values, e)))
}

// serveKubectl answers keyfob kubectl: the profile is selected as for
// keyfob token, after the cluster's exec extension.
func serveKubectl(env Env, args []string) (int, bool) {
	a, ok := parseHostArgs(args)
	if !ok || len(a.positional) != 0 {
		return 0, false
	}
	info, err := kubectl.ParseExecInfo(env.Getenv(kubectl.EnvVar))
	if err != nil {
		return 0, false
	}
	cc, err := hostproto.KubeCluster(info)
	if err != nil {
		return 0, false
	}
	if a.profile == "" {
		a.profile = cc.Profile
	}
	if len(a.scopes) == 0 {
		a.scopes = cc.RequestedScopes()
	}
	values, ok := profileValues(env, a.profile)
	if !ok {
		return 0, false
	}
	e, ok := lookup(env, tokenkey.Request{Values: values, Scopes: a.scopes}, a.minValidity)
	if !ok {
		return 0, false
	}
	tok, exp, fresh, err := hostproto.KubeToken(values, e, env.Now(), a.minValidity)
	if err != nil || !fresh {
		return 0, false
	}
	return exit(env, 0, kubectl.Write(env.Stdout, info.APIVersion, tok, exp))
}

// serveDocker answers docker get, the ACR exchange's cached refresh token
// included; the other actions go to the engine.
func serveDocker(env Env, args []string) (int, bool) {
	a, ok := parseHostArgs(args)
	if !ok || len(a.positional) != 1 || a.positional[0] != "get" {
		return 0, false
	}
	data, err := env.Stdin.Within("docker", a.timeout).ReadAll(docker.MaxInput)
	if err != nil {
		return readFailed(env, err, docker.WriteError)
	}
	srv, err := docker.ParseServerURL(string(data))
	if err != nil {
		return 0, false
	}
	values, nothing, ok := hostProfile(env, a.profile, hostproto.FromDocker(srv))
	if !ok {
		return 0, false
	}
	if nothing {
		return exit(env, 1, docker.WriteNotFound(env.Stdout))
	}
	req := tokenkey.Request{Values: values, Scopes: a.scopes}
	if hostproto.ACRExchange(values) {
		acrKey := func(r tokenkey.Request) string { return hostproto.ACRKey(r, srv.Host) }
		e, ok := lookupKey(env, req, acrKey, fixed(a.minValidity))
		if !ok {
			return 0, false
		}
		return exit(env, 0, docker.WriteCredentials(env.Stdout, docker.Credentials{ServerURL: srv.URL, Username: docker.IdentityTokenUser, Secret: e.AccessToken}))
	}
	e, ok := lookup(env, req, a.minValidity)
	if !ok {
		return 0, false
	}
	return exit(env, 0, docker.WriteCredentials(env.Stdout, hostproto.DockerCredentials(srv, values, e.AccessToken)))
}
