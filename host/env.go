package host

import (
	"os"
	"runtime"
	"strings"
)

// DefaultEnvAllowList names the host environment variables a plugin is
// started with (CONTRACT §8: go-plugin SkipHostEnv plus an allow-list).
// Secrets are resolved by the host and sent in the request, so nothing
// secret needs to be inherited.
var DefaultEnvAllowList = []string{
	"KEYFOB_LOG", "PATH", "HOME", "TMPDIR", "TZ", "LANG", "LC_ALL",
	"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
	"SSL_CERT_FILE", "SSL_CERT_DIR",
	// Windows needs these to load system DLLs and resolve names.
	"SYSTEMROOT", "SystemRoot", "WINDIR", "USERPROFILE", "LOCALAPPDATA", "APPDATA", "TEMP", "TMP",
}

// pluginEnv builds the plugin's environment from the allow-list.
func pluginEnv(allow []string, lookup func(string) (string, bool)) []string {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	seen := map[string]bool{}
	var env []string
	for _, name := range allow {
		key := name
		if runtime.GOOS == "windows" {
			key = strings.ToUpper(name)
		}
		if seen[key] {
			continue
		}
		if v, ok := lookup(name); ok {
			seen[key] = true
			env = append(env, name+"="+v)
		}
	}
	return env
}
