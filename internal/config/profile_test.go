package config

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin/errdefs"
)

func TestFileProfile(t *testing.T) {
	t.Parallel()
	f, err := Parse("/x/config.toml", []byte("[profiles.graph]\nclient_id = \"a\"\n[profiles.repos]\n"))
	if err != nil {
		t.Fatal(err)
	}
	empty := &File{Path: "/x/config.toml"}
	tests := map[string]struct {
		file    *File
		name    string
		want    map[string]string
		wantErr string
	}{
		"configured": {
			file: f, name: "graph",
			want: map[string]string{"client_id": "a"},
		},
		"built-in environment": {
			file: f, name: "environment",
			want: map[string]string{"provider": "environment"},
		},
		"environment with nil file": {
			name: "environment",
			want: map[string]string{"provider": "environment"},
		},
		"unknown": {
			file: f, name: "grahp",
			wantErr: `profile "grahp" is not configured in /x/config.toml (configured: graph, repos) (did you mean "graph"?)`,
		},
		"unknown with no profiles": {
			file: empty, name: "graph",
			wantErr: `profile "graph" is not configured in /x/config.toml (no profiles are configured)`,
		},
		"unknown with nil file": {
			name:    "graph",
			wantErr: `profile "graph" is not configured in the configuration (no profiles are configured)`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, err := tc.file.Profile(tc.name)
			if tc.wantErr != "" {
				checkConfigErr(t, err, tc.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, p.Values); diff != "" {
				t.Errorf("Values (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProfileIsACopy(t *testing.T) {
	t.Parallel()
	f, err := Parse("c.toml", []byte("[profiles.p]\nclient_id = \"a\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := f.Profile("p")
	p.Values["client_id"] = "changed"
	q, _ := f.Profile("p")
	if got := q.Values["client_id"]; got != "a" {
		t.Errorf("second Profile sees %q, want a", got)
	}
}

func TestProfileErrorf(t *testing.T) {
	t.Parallel()
	f, err := Parse("/x/config.toml", []byte("[profiles.p]\n\nauthority = \"http://h\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := f.Profile("p")
	checkConfigErr(t, p.Errorf("authority", "want an https URL"),
		`config /x/config.toml:3: key "authority": want an https URL`)
	q, err := p.WithFlags(map[string][]string{"authority": {"http://other"}})
	if err != nil {
		t.Fatal(err)
	}
	checkConfigErr(t, q.Errorf("authority", "want an https URL"),
		`profile "p": key "authority": want an https URL`)
	if got := q.String("authority"); got != "http://other" {
		t.Errorf("String(authority) = %q", got)
	}
}

// checkConfigErr fails unless err wraps errdefs.ErrConfig with text want.
func checkConfigErr(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %q", want)
	}
	if !errors.Is(err, errdefs.ErrConfig) {
		t.Errorf("error %v does not wrap errdefs.ErrConfig", err)
	}
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}
