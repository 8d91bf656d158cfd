package protocol

import (
	"context"
	"strings"
	"testing"
)

// named is a Protocol with a name and aliases only.
type named struct {
	name    string
	aliases []string
}

func (n named) Name() string                                 { return n.name }
func (n named) Aliases() []string                            { return n.aliases }
func (named) Help() Help                                     { return Help{} }
func (named) Serve(context.Context, Session, []string) error { return nil }

var list = []Protocol{
	named{"git", []string{"git-credential-keyfob"}},
	named{"kubectl", nil},
	named{"terraform", []string{"terraform-credentials-keyfob", "terraform-credentials-keyfob_v*"}},
}

func TestForProgram(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"/usr/bin/keyfob":                        "",
		"/home/u/bin/git-credential-keyfob":      "git",
		`C:\bin\git-credential-keyfob.EXE`:       "git",
		"git-credential-keyfob_v1":               "",
		"terraform-credentials-keyfob":           "terraform",
		"/p/terraform-credentials-keyfob_v1.2.0": "terraform",
		"terraform-credentials-keyfob2":          "",
		"kubectl":                                "",
		"git-credential-other":                   "",
	}
	for argv0, want := range tests {
		t.Run(argv0, func(t *testing.T) {
			t.Parallel()
			got := ""
			if p := ForProgram(list, argv0); p != nil {
				got = p.Name()
			}
			if got != want {
				t.Errorf("ForProgram(%q) = %q, want %q", argv0, got, want)
			}
		})
	}
}

func TestHelperNamesAndLookup(t *testing.T) {
	t.Parallel()
	if got := strings.Join(HelperNames(list), " "); got != "git-credential-keyfob terraform-credentials-keyfob" {
		t.Errorf("HelperNames = %s", got)
	}
	if Lookup(list, "kubectl") == nil || Lookup(list, "docker") != nil {
		t.Error("Lookup found the wrong protocols")
	}
}

// lone is a Protocol run by a lone argument.
type lone struct{ named }

func (lone) Help() Help { return Help{LoneArg: "--cargo-plugin"} }

func TestForArgs(t *testing.T) {
	t.Parallel()
	list := []Protocol{named{"git", nil}, lone{named{"cargo", nil}}}
	tests := map[string][]string{
		"--cargo-plugin":       {"cargo", "--cargo-plugin"},
		"--cargo-plugin -p x":  {"--cargo-plugin", "-p", "x"},
		"git get":              {"git", "get"},
		"cargo --cargo-plugin": {"cargo", "--cargo-plugin"},
	}
	for line, want := range tests {
		if got := ForArgs(list, strings.Fields(line)); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("ForArgs(%s) = %q, want %q", line, got, want)
		}
	}
}

func TestProfileHosts(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		hosts   string
		want    []string
		wantErr bool
	}{
		"none":     {"", nil, false},
		"list":     {`["a.example.com","https://b.example.com/x/"]`, []string{"a.example.com", "https://b.example.com/x/"}, false},
		"not JSON": {`a.example.com`, nil, true},
	}
	for name, tc := range tests {
		p := &Profile{Name: "p", Values: map[string]string{"hosts": tc.hosts}}
		got, err := p.Hosts()
		if (err != nil) != tc.wantErr || strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s: Hosts = %q, %v", name, got, err)
		}
	}
}
