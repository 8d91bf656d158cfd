package cli

import (
	"strings"
	"testing"
)

// cargoRequest is a request as cargo 1.95 sends it.
func cargoRequest(kind, indexURL string, args ...string) string {
	r := `{"v":1,"registry":{"index-url":"` + indexURL + `","name":"r"},"kind":"` + kind + `"`
	if kind == "get" {
		r += `,"operation":"read"`
	}
	if len(args) > 0 {
		r += `,"args":["` + strings.Join(args, `","`) + `"]`
	}
	return r + "}\n"
}

func TestCargo(t *testing.T) {
	t.Parallel()
	vars := newToolVars(t)
	tests := map[string]struct {
		vars   map[string]string
		argv   []string
		stdin  string
		golden string
		stderr string
		// noCommand runs keyfob as cargo does: the path, --cargo-plugin.
		noCommand bool
	}{
		"cargo's call": {vars: vars, argv: []string{"--cargo-plugin"}, noCommand: true,
			stdin: cargoRequest("get", "sparse+https://pkgs.example.com/index/", "cargo", "-p", "nohosts"), golden: "cargo-get-p"},
		"args in request": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("get", "sparse+https://pkgs.example.com/index/", "-p", "nohosts"), golden: "cargo-get-p"},
		"args on argv": {vars: vars, argv: []string{"-p", "nohosts", "--cargo-plugin"},
			stdin: cargoRequest("get", "sparse+https://pkgs.example.com/index/"), golden: "cargo-get-p"},
		"host matching": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("get", "sparse+https://127.0.0.1:8443/index/"), golden: "cargo-get-host"},
		"url prefix": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("get", "sparse+https://r.example.com/cargo/index/"), golden: "cargo-get-host"},
		"no profile": {vars: with(vars, "KEYFOB_PROFILE", "dflt"), argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("get", "sparse+https://crates.example.com/index/"), golden: "cargo-url-not-supported"},
		"-p whose hosts do not match": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("get", "sparse+https://crates.example.com/index/", "-p", "repos"), golden: "cargo-url-not-supported"},
		"http index to another machine": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("get", "sparse+http://pkgs.example.com/index/", "-p", "nohosts"), golden: "cargo-url-not-supported",
			stderr: "keyfob: not sending the token of profile \"nohosts\" in plain text to pkgs.example.com (use https)\n"},
		"http git index, host matching": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("get", "http://dev.azure.com/index/"), golden: "cargo-url-not-supported",
			stderr: "keyfob: not sending the token of profile \"repos\" in plain text to dev.azure.com (use https)\n"},
		"http index on loopback": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("get", "sparse+http://127.0.0.1:8443/index/"), golden: "cargo-get-host"},
		"file index": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("get", "file:///srv/index/", "-p", "nohosts"), golden: "cargo-url-not-supported",
			stderr: "keyfob: not sending the token of profile \"nohosts\" to \"file:///srv/index/\": not an absolute URL with a host\n"},
		"ssh git index": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("get", "ssh://git@dev.azure.com/index", "-p", "nohosts"), golden: "cargo-url-not-supported",
			stderr: "keyfob: not sending the token of profile \"nohosts\" over ssh:// to dev.azure.com (use https)\n"},
		"login": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("login", "sparse+https://dev.azure.com/index/"), golden: "cargo-login",
			stderr: "keyfob: registry tokens come from the authorization server; use `keyfob login -p repos` instead of cargo login\n"},
		"logout, unknown registry": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("logout", "sparse+https://crates.example.com/index/"), golden: "cargo-logout",
			stderr: "keyfob: registry tokens come from the authorization server; use `keyfob logout -p PROFILE` instead of cargo logout\n"},
		"bad args": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("get", "sparse+https://dev.azure.com/index/", "--bogus"), golden: "cargo-bad-args"},
		"unknown profile": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("get", "sparse+https://dev.azure.com/index/", "-p", "nope"), golden: "cargo-unknown-profile"},
		"future kind": {vars: vars, argv: []string{"--cargo-plugin"},
			stdin: cargoRequest("frobnicate", "sparse+https://dev.azure.com/index/"), golden: "cargo-future-kind"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"cargo"}, tc.argv...)
			if tc.noCommand {
				args = tc.argv
			}
			stdout, stderr, code := toolRun(t, tc.vars, tc.stdin, args...)
			if code != 0 {
				t.Fatalf("exit %d, want 0 (cargo fails on any other); stderr: %s", code, stderr)
			}
			toolGolden(t, tc.golden, stdout)
			if stderr != tc.stderr {
				t.Errorf("stderr = %q, want %q", stderr, tc.stderr)
			}
		})
	}
}

func TestCargoWithoutPluginFlag(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := toolRun(t, newToolVars(t), "", "cargo", "-p", "repos")
	if code != ExitUsage || stdout != "" || !strings.Contains(stderr, "credential-provider") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and a hint", code, stdout, stderr)
	}
}

func TestCargoHelp(t *testing.T) {
	t.Parallel()
	stdout, _, code := toolRun(t, newToolVars(t), "", "cargo", "--help")
	if code != 0 || !strings.Contains(stdout, "--cargo-plugin") || !strings.Contains(stdout, "--profile") {
		t.Errorf("exit %d, help %q", code, stdout)
	}
}
