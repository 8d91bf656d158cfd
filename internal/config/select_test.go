package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSelectProfile(t *testing.T) {
	t.Parallel()
	withDefault, err := Parse("/x/config.toml", []byte("default_profile = \"graph\"\n[profiles.graph]\n[profiles.repos]\n"))
	if err != nil {
		t.Fatal(err)
	}
	noDefault, err := Parse("/x/config.toml", []byte("[profiles.graph]\n"))
	if err != nil {
		t.Fatal(err)
	}
	badDefault, err := Parse("/x/config.toml", []byte("\ndefault_profile = \"gone\"\n[profiles.graph]\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		flag    string
		env     map[string]string
		file    *File
		want    string
		wantErr string
	}{
		"flag wins":              {flag: "repos", env: map[string]string{"KEYFOB_PROFILE": "graph"}, file: withDefault, want: "repos"},
		"env over default":       {env: map[string]string{"KEYFOB_PROFILE": "repos"}, file: withDefault, want: "repos"},
		"default_profile":        {file: withDefault, want: "graph"},
		"environment fallback":   {file: noDefault, want: "environment"},
		"no file":                {want: "environment"},
		"explicit environment":   {flag: "environment", file: withDefault, want: "environment"},
		"unknown flag profile":   {flag: "nope", file: noDefault, wantErr: `profile "nope" is not configured in /x/config.toml (configured: graph)`},
		"unknown env profile":    {env: map[string]string{"KEYFOB_PROFILE": "grap"}, file: noDefault, wantErr: `profile "grap" is not configured in /x/config.toml (configured: graph) (did you mean "graph"?); it is selected by $KEYFOB_PROFILE`},
		"unknown default":        {file: badDefault, wantErr: `profile "gone" is not configured in /x/config.toml (configured: graph); it is selected by default_profile at /x/config.toml:2`},
		"env ignored when empty": {env: map[string]string{"KEYFOB_PROFILE": ""}, file: withDefault, want: "graph"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			getenv := func(k string) string { return tc.env[k] }
			got, err := SelectProfile(tc.flag, getenv, tc.file)
			if tc.wantErr != "" {
				checkConfigErr(t, err, tc.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("SelectProfile (-want +got):\n%s", diff)
			}
		})
	}
}
