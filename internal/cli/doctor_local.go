package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/keyspec"
	"github.com/keyfob/keyfob/host/safefile"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/providers/all"
)

// checkConfig looks at the configuration file: there or not, parsed, and
// not readable by others while it holds a literal secret.
func (d *doctor) checkConfig() {
	home, _ := os.UserHomeDir()
	path := config.PathFrom(d.env.Getenv, home)
	if path == "" {
		d.pass("config", "no configuration file location (neither KEYFOB_CONFIG nor HOME); profiles come from flags only")
		return
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		d.pass("config", path+" does not exist; profiles come from flags and the environment")
		return
	}
	f, err := config.Load(path)
	if errors.As(err, new(*safefile.UnsafeError)) {
		d.failUnsafe("config", err)
		return
	}
	if err != nil {
		d.fail("config", err.Error(), "correct the file (see docs/config.md)")
		return
	}
	if w := config.LiteralSecretWarning(path, f); w != "" {
		msg, _, _ := strings.Cut(w, "; run chmod")
		d.fail("config", msg, "run chmod 600 "+path+", or replace the literal with an env:NAME or file:PATH reference")
		return
	}
	d.pass("config", fmt.Sprintf("%s%s: %s", path, modeNote(fi), plural(len(f.ProfileNames()), "profile")))
}

// failUnsafe records a config file or plugin another user could change:
// err wraps a *safefile.UnsafeError, whose fix is shown as the fix.
func (d *doctor) failUnsafe(check string, err error) {
	detail, fix := err.Error(), "make the file and its directory yours and not writable by others"
	var unsafe *safefile.UnsafeError
	if errors.As(err, &unsafe) {
		detail, fix = strings.TrimSuffix(detail, "; "+unsafe.Fix()), unsafe.Fix()
	}
	d.fail(check, detail+" (whoever can change it can run code as you or redirect your secrets)", fix)
}

// modeNote is " (mode 0600)" on Unix, "" where modes do not describe
// access.
func modeNote(fi fs.FileInfo) string {
	if runtime.GOOS == "windows" {
		return ""
	}
	return fmt.Sprintf(" (mode %04o)", fi.Mode().Perm())
}

// checkProfile selects the profile as token would and reports it.
func (d *doctor) checkProfile() *profile {
	p, err := d.env.selectProfile(d.c, d.fs)
	if err != nil {
		d.fail("profile", err.Error(), "keyfob profiles lists the profiles; choose one with -p NAME or set default_profile")
		return nil
	}
	d.pass("profile", fmt.Sprintf("%q: provider %s", p.Name, p.Values["provider"]))
	return p
}

// checkKeys checks an external plugin, or that the built-in provider
// exists and has its required keys.
func (d *doctor) checkKeys(p *profile) {
	if p.Values["plugin"] != "" {
		d.checkPlugin(p)
		return
	}
	name := p.Values["provider"]
	reg := all.Registry()
	info, ok := providerInfo(reg.Providers(), name)
	if !ok {
		d.fail("provider", fmt.Sprintf("unknown provider %q", name), "use one of "+strings.Join(reg.Names(), ", "))
		return
	}
	var missing []string
	keys := map[string]bool{}
	for _, k := range info.Keys {
		keys[k.Name] = true
		if k.Required && p.Values[k.Name] == "" {
			missing = append(missing, k.Name)
		}
	}
	usesEndpoint := keys["token_url"] || keys["authority"] || keys["issuer"]
	if usesEndpoint && p.Values["token_url"] == "" && p.Values["authority"] == "" && p.Values["issuer"] == "" {
		missing = append(missing, "token_url, authority or issuer")
	}
	if len(missing) > 0 {
		fix := fmt.Sprintf("set them in profile %q, or pass them as flags (e.g. --%s)", p.Name,
			config.FlagName(strings.TrimSuffix(strings.Fields(missing[0])[0], ",")))
		if name == "environment" {
			fix = "set AZURE_TENANT_ID and AZURE_CLIENT_ID, and a credential (AZURE_CLIENT_SECRET, " +
				"AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE); see docs/entra.md"
		}
		d.fail("keys", "missing "+strings.Join(missing, "; "), fix)
		return
	}
	d.pass("keys", "the keys "+name+" requires are set")
}

// providerInfo finds a provider by name.
func providerInfo(infos []plugin.ProviderInfo, name string) (plugin.ProviderInfo, bool) {
	for _, info := range infos {
		if info.Name == name {
			return info, true
		}
	}
	return plugin.ProviderInfo{}, false
}

// checkPlugin checks that an external plugin is there and matches its
// pin.
func (d *doctor) checkPlugin(p *profile) {
	path, err := d.env.pluginPath(p.Values)
	if err != nil {
		d.fail("plugin", err.Error(), "install the plugin, or set plugin to its path")
		return
	}
	if err := host.CheckPlugin(path); err != nil {
		d.failUnsafe("plugin", err)
		return
	}
	pin := p.Values["plugin_sha256"]
	if pin == "" {
		d.warn("plugin", path+" is not pinned", "set plugin_sha256 to the output of sha256sum "+path+" once you trust it")
		return
	}
	if err := host.VerifySHA256(path, pin); err != nil {
		d.fail("plugin", err.Error(), "if the new file is trusted, set plugin_sha256 to the output of sha256sum "+path)
		return
	}
	d.pass("plugin", path+": matches plugin_sha256")
}

// checkSecrets resolves every secret reference of the profile, never
// showing a value, and checks that secret files are private.
func (d *doctor) checkSecrets(p *profile) {
	for _, k := range slices.Sorted(maps.Keys(p.Values)) {
		v := p.Values[k]
		switch {
		case v == "":
		case plugin.IsReference(v) && keyspec.ResolvedByHost(k):
			d.checkReference(k, v)
		case config.IsSecret(k):
			d.pass("secret", k+": a literal value in the profile")
		}
	}
}

// checkReference resolves one env:/file: reference.
func (d *doctor) checkReference(key, ref string) {
	if _, err := plugin.ResolveSecretWith(ref, d.env.lookupEnv); err != nil {
		fix := "create the file, or point " + key + " elsewhere"
		if name, ok := strings.CutPrefix(ref, "env:"); ok {
			fix = "set " + name + " in keyfob's environment, or use a file:PATH reference"
		}
		d.fail("secret", key+": "+err.Error(), fix)
		return
	}
	path, isFile := strings.CutPrefix(ref, "file:")
	if !isFile {
		d.pass("secret", key+": "+ref+" is set")
		return
	}
	path = plugin.ExpandHome(path)
	if fi, err := os.Stat(path); err == nil && exposed(fi) {
		d.fail("secret", fmt.Sprintf("%s: %s is readable by others%s", key, path, modeNote(fi)), "run chmod 600 "+path)
		return
	}
	d.pass("secret", key+": "+ref+" is readable")
}

// exposed reports whether group or others may access a file (Unix).
func exposed(fi fs.FileInfo) bool {
	return runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0
}

// fileKeys are the profile keys naming files, and whether each file
// holds a private key (which must not be readable by others).
var fileKeys = []struct {
	key     string
	private bool
}{
	{"client_certificate", true},
	{"assertion_key", true},
	{"client_assertion_file", false},
	{"ca_file", false},
}

// checkFiles checks that the files the profile names exist, and that key
// files are private.
func (d *doctor) checkFiles(p *profile) {
	for _, f := range fileKeys {
		v := p.Values[f.key]
		if v == "" || plugin.IsReference(v) || strings.Contains(v, "-----BEGIN ") {
			continue
		}
		path := plugin.ExpandHome(v)
		fi, err := os.Stat(path)
		switch {
		case err != nil:
			d.fail("file", fmt.Sprintf("%s: %v", f.key, err), "correct "+f.key+", or put the file there")
		case !fi.Mode().IsRegular():
			d.fail("file", fmt.Sprintf("%s: %s is not a regular file", f.key, path), "correct "+f.key)
		case f.private && exposed(fi):
			d.fail("file", fmt.Sprintf("%s: %s holds a private key and is readable by others%s", f.key, path, modeNote(fi)),
				"run chmod 600 "+path)
		default:
			d.pass("file", fmt.Sprintf("%s: %s%s", f.key, path, modeNote(fi)))
		}
	}
}
