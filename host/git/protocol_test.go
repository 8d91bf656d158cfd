package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/plugin/errdefs"
)

func TestSelection(t *testing.T) {
	t.Parallel()
	got, ok := Selection(&Request{Protocol: "https", Host: "dev.azure.com", Username: "alice", Path: "o/p"})
	want := protocol.Request{Host: "dev.azure.com", User: "alice", URL: "https://alice@dev.azure.com/o/p"}
	if !ok || got != want {
		t.Errorf("Selection = %+v, %v; want %+v", got, ok, want)
	}
	for _, p := range []string{"cert", "ssh", ""} {
		if _, ok := Selection(&Request{Protocol: p, Host: "h"}); ok {
			t.Errorf("Selection accepted protocol %q", p)
		}
	}
}

var (
	now   = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	entry = &cache.Entry{AccessToken: "at", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}
)

func TestAnswer(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		req    Request
		values map[string]string
		want   Credential
	}{
		"default user": {Request{}, nil, Credential{Username: "oauth2", Token: "at", Expiry: now.Add(55 * time.Minute)}},
		"url user":     {Request{Username: "alice"}, nil, Credential{Username: "alice", Token: "at", Expiry: now.Add(55 * time.Minute)}},
		"git_username": {Request{Username: "alice"}, map[string]string{"git_username": "azure-devops"},
			Credential{Username: "azure-devops", Token: "at", Expiry: now.Add(55 * time.Minute)}},
		"authtype": {Request{Capabilities: []string{"authtype", "state"}}, nil,
			Credential{Username: "oauth2", Token: "at", Expiry: now.Add(55 * time.Minute), Bearer: true}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, Answer(&tc.req, tc.values, entry)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// stub is the engine's Session for a profile that serves every host and
// whose Token fails with err; its exit codes are CONTRACT §7's.
type stub struct {
	protocol.Session // nil: the methods get does not call
	err              error
	out              bytes.Buffer
}

func (*stub) CacheOnly() bool { return false }

func (*stub) Stdin(string) io.Reader {
	return strings.NewReader("protocol=https\nhost=git.example.com\n\n")
}

func (s *stub) Stdout() io.Writer { return &s.out }

func (*stub) Select(protocol.Request) (*protocol.Profile, error) {
	return &protocol.Profile{Name: "repos"}, nil
}

func (s *stub) Token(context.Context, *protocol.Profile, protocol.Want) (*cache.Entry, error) {
	return nil, s.err
}

func (*stub) ExitCode(err error) int {
	if errors.Is(err, errdefs.ErrInteractionRequired) {
		return 4
	}
	return 1
}

func TestGetQuitsWhenAPersonIsNeeded(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		err  error
		want string
	}{
		"interaction": {fmt.Errorf("sign-in needed: %w", errdefs.ErrInteractionRequired), "quit=1\n"},
		"refused":     {errdefs.ErrRefused, ""},
		"config":      {errdefs.Configf("bad"), ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := &stub{err: tc.err}
			err := Protocol{}.Serve(context.Background(), s, []string{"get"})
			if !errors.Is(err, tc.err) || s.out.String() != tc.want {
				t.Errorf("Serve = %v, stdout %q; want %v and %q", err, s.out.String(), tc.err, tc.want)
			}
		})
	}
}
