package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestDoctorFailsFilesOthersCanChange: a config file or plugin another
// user could write is a configuration failure with its fix, not a PASS.
func TestDoctorFailsFilesOthersCanChange(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes")
	}
	dir := t.TempDir()
	open := writeFileMode(t, filepath.Join(dir, "open.toml"), "[profiles.p]\nprovider = \"client_credentials\"\n", 0o666)
	plugins := filepath.Join(dir, "plugins")
	if err := os.Mkdir(plugins, 0o700); err != nil {
		t.Fatal(err)
	}
	exe := writeFileMode(t, filepath.Join(plugins, "keyfob-plugin-x"), "#!/bin/sh\nexit 1\n", 0o777)
	withPlugin := writeFileMode(t, filepath.Join(dir, "plugin.toml"),
		"[profiles.p]\nprovider = \"x\"\nplugin = \""+exe+"\"\n", 0o600)
	tests := map[string]struct {
		config, check, want, fix string
	}{
		"config": {open, "config", "config " + open + " is writable by group and others (mode 0666)", "fix: run chmod go-w " + open},
		"plugin": {withPlugin, "plugin", "plugin " + exe + " is writable by group and others (mode 0777)", "fix: run chmod go-w " + exe},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out, _, code := runAt(t, fixedNow, map[string]string{"KEYFOB_CONFIG": tc.config}, "doctor", "-p", "p", "--timeout", "1ms")
			fail := regexp.MustCompile(`FAIL +` + tc.check + ` +` + regexp.QuoteMeta(tc.want))
			if code != ExitUsage || !fail.MatchString(out) || !strings.Contains(out, tc.fix) {
				t.Errorf("exit %d, want %d with FAIL %s %q and %q:\n%s", code, ExitUsage, tc.check, tc.want, tc.fix, out)
			}
			if strings.Contains(out, "PASS  "+tc.check) {
				t.Errorf("doctor passes the %s:\n%s", tc.check, out)
			}
		})
	}
}
