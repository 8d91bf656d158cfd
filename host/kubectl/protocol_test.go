package kubectl

import (
	"encoding/base64"
	"strconv"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/cache"
)

var (
	now   = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	entry = &cache.Entry{AccessToken: "at", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}
)

// idToken is an unsigned JWT expiring at exp.
func idToken(exp time.Time) string {
	payload := `{"exp":` + strconv.FormatInt(exp.Unix(), 10) + `}`
	return "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".x"
}

func TestToken(t *testing.T) {
	t.Parallel()
	idTok := func(exp time.Time) *cache.Entry {
		e := *entry
		e.IDToken = idToken(exp)
		return &e
	}
	useID := map[string]string{"use_id_token": "true"}
	tests := map[string]struct {
		values     map[string]string
		e          *cache.Entry
		wantToken  string
		wantExpiry time.Time
		wantFresh  bool
		wantErr    bool
	}{
		"access token":         {nil, entry, "at", now.Add(55 * time.Minute), true, false},
		"id token, same life":  {useID, idTok(now.Add(time.Hour)), idToken(now.Add(time.Hour)), now.Add(55 * time.Minute), true, false},
		"id token, shorter":    {useID, idTok(now.Add(20 * time.Minute)), idToken(now.Add(20 * time.Minute)), now.Add(15 * time.Minute), true, false},
		"id token, nearly due": {useID, idTok(now.Add(5*time.Minute + 30*time.Second)), idToken(now.Add(5*time.Minute + 30*time.Second)), now.Add(30 * time.Second), false, false},
		"no id token":          {useID, entry, "", time.Time{}, false, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tok, exp, fresh, err := Token(tc.values, tc.e, now, time.Minute)
			if (err != nil) != tc.wantErr || tok != tc.wantToken || !exp.Equal(tc.wantExpiry) || fresh != tc.wantFresh {
				t.Errorf("Token = %q, %v, %v, %v; want %q, %v, %v, error %v", tok, exp, fresh, err, tc.wantToken, tc.wantExpiry, tc.wantFresh, tc.wantErr)
			}
		})
	}
}

func TestServerNote(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cluster *Cluster
		want    bool
	}{
		"no cluster info":      {nil, false},
		"https":                {&Cluster{Server: "https://aks.example.com:443"}, false},
		"http to loopback":     {&Cluster{Server: "http://127.0.0.1:6443"}, false},
		"http to another host": {&Cluster{Server: "http://aks.example.com"}, true},
	}
	for name, tc := range tests {
		if got := ServerNote(&ExecInfo{Cluster: tc.cluster}, "aks"); (got != "") != tc.want {
			t.Errorf("%s: ServerNote = %q", name, got)
		}
	}
}
