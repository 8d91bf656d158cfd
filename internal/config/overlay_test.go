package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOverlay(t *testing.T) {
	t.Parallel()
	base := map[string]string{"provider": "device_code", "client_id": "a", "scopes": `["x"]`}
	tests := map[string]struct {
		base    map[string]string
		flags   map[string][]string
		want    map[string]string
		wantErr string
		secret  string // must not appear in the error
	}{
		"no flags": {
			base: base,
			want: base,
		},
		"override and add": {
			base:  base,
			flags: map[string][]string{"client_id": {"b"}, "authority": {"https://login/t"}},
			want:  map[string]string{"provider": "device_code", "client_id": "b", "scopes": `["x"]`, "authority": "https://login/t"},
		},
		"nil base": {
			flags: map[string][]string{"provider": {"device_code"}},
			want:  map[string]string{"provider": "device_code"},
		},
		"repeated list flag": {
			flags: map[string][]string{"scopes": {"openid", "api://x/.default"}},
			want:  map[string]string{"scopes": `["openid","api://x/.default"]`},
		},
		"list values split at whitespace": {
			flags: map[string][]string{"scope": {"openid profile", "api"}},
			want:  map[string]string{"scopes": `["openid","profile","api"]`},
		},
		"list flag replaces the configured list": {
			base:  base,
			flags: map[string][]string{"scopes": {"y"}},
			want:  map[string]string{"provider": "device_code", "client_id": "a", "scopes": `["y"]`},
		},
		"last single value wins": {
			flags: map[string][]string{"client_id": {"a", "b"}},
			want:  map[string]string{"client_id": "b"},
		},
		"flag spelling accepted": {
			flags: map[string][]string{"--client-id": {"c"}},
			want:  map[string]string{"client_id": "c"},
		},
		"empty value removes": {
			base:  base,
			flags: map[string][]string{"client_id": {""}, "scopes": {""}},
			want:  map[string]string{"provider": "device_code"},
		},
		"bool normalized": {
			flags: map[string][]string{"use_id_token": {"1"}},
			want:  map[string]string{"use_id_token": "true"},
		},
		"secret reference accepted": {
			flags: map[string][]string{"client_secret": {"env:SECRET"}, "password": {"file:~/pw"}},
			want:  map[string]string{"client_secret": "env:SECRET", "password": "file:~/pw"},
		},
		"literal secret refused": {
			flags:   map[string][]string{"client_secret": {"hunter2"}},
			wantErr: "--client-secret takes a reference (env:NAME or file:PATH), not the secret itself",
			secret:  "hunter2",
		},
		"literal refresh token refused": {
			flags:   map[string][]string{"refresh_token": {"env:OK", "0.AAAA-literal"}},
			wantErr: "--refresh-token takes a reference (env:NAME or file:PATH), not the secret itself",
			secret:  "0.AAAA-literal",
		},
		"bad bool": {
			flags:   map[string][]string{"use_id_token": {"maybe"}},
			wantErr: `--use-id-token: want true or false, got "maybe"`,
		},
		"unknown flag": {
			flags:   map[string][]string{"client_idd": {"x"}},
			wantErr: `unknown flag --client-idd (did you mean "client-id"?)`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			before := cloneMap(tc.base)
			got, err := Overlay(tc.base, tc.flags)
			if tc.wantErr != "" {
				checkConfigErr(t, err, tc.wantErr)
				if tc.secret != "" && strings.Contains(err.Error(), tc.secret) {
					t.Errorf("error %q echoes the secret", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				tc.want = map[string]string{}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Overlay (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, tc.base); diff != "" {
				t.Errorf("Overlay modified base (-before +after):\n%s", diff)
			}
		})
	}
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestFlagNames(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		flag    string
		wantKey string
		wantOK  bool
	}{
		"dashes":        {flag: "client-id", wantKey: "client_id", wantOK: true},
		"leading dash":  {flag: "--token-url", wantKey: "token_url", wantOK: true},
		"scope alias":   {flag: "scope", wantKey: "scopes", wantOK: true},
		"host alias":    {flag: "host", wantKey: "hosts", wantOK: true},
		"x_ key":        {flag: "x-thing", wantKey: "x_thing", wantOK: true},
		"bare x prefix": {flag: "x-", wantKey: "x_", wantOK: false},
		"unknown":       {flag: "colour", wantKey: "colour", wantOK: false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key, ok := KeyForFlag(tc.flag)
			if diff := cmp.Diff([2]any{tc.wantKey, tc.wantOK}, [2]any{key, ok}); diff != "" {
				t.Errorf("KeyForFlag(%q) (-want +got):\n%s", tc.flag, diff)
			}
		})
	}
	for _, k := range Keys {
		back, ok := KeyForFlag(FlagName(k.Name))
		if !ok || back != k.Name {
			t.Errorf("KeyForFlag(FlagName(%q)) = %q, %v", k.Name, back, ok)
		}
	}
}
