package all

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/host/protocol"
)

func TestDispatch(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		argv0 string
		args  []string
		want  []string
	}{
		"keyfob":                {"/usr/bin/keyfob", []string{"token"}, []string{"token"}},
		"git helper":            {"/home/u/bin/git-credential-keyfob", []string{"-p", "repos", "get"}, []string{"git", "-p", "repos", "get"}},
		"docker helper":         {"docker-credential-keyfob", []string{"get"}, []string{"docker", "get"}},
		"terraform helper":      {"/h/.terraform.d/plugins/terraform-credentials-keyfob", []string{"get", "h"}, []string{"terraform", "get", "h"}},
		"terraform versioned":   {"terraform-credentials-keyfob_v1.2.0", []string{"forget", "h"}, []string{"terraform", "forget", "h"}},
		"bazel helper":          {"./bazel-credential-keyfob", []string{"get"}, []string{"bazel", "get"}},
		"windows exe":           {`C:\bin\git-credential-keyfob.exe`, []string{"get"}, []string{"git", "get"}},
		"windows EXE":           {`C:\bin\docker-credential-keyfob.EXE`, []string{"list"}, []string{"docker", "list"}},
		"other name":            {"git-credential-other", []string{"get"}, []string{"get"}},
		"keyfob-engine itself":  {"/usr/bin/keyfob-engine", []string{"version"}, []string{"version"}},
		"no args to the helper": {"git-credential-keyfob", nil, []string{"git"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, protocol.Dispatch(Protocols(), tc.argv0, tc.args)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestHelperNames(t *testing.T) {
	t.Parallel()
	want := []string{"git-credential-keyfob", "docker-credential-keyfob", "terraform-credentials-keyfob", "bazel-credential-keyfob"}
	if diff := cmp.Diff(want, protocol.HelperNames(Protocols())); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
