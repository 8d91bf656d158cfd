package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/plugin"
	"github.com/spf13/cobra"
)

// pluginListTimeout bounds the start and the ListProviders call of each
// plugin keyfob plugins lists.
const pluginListTimeout = 15 * time.Second

// pluginListing describes one plugin executable and its providers: the
// -o json form of keyfob plugins, one per plugin.
type pluginListing struct {
	// Name is "keyfob" for keyfob itself, NAME for keyfob-plugin-NAME, else
	// the path a profile gives.
	Name string `json:"name"`
	Path string `json:"path,omitempty"`
	// Builtin marks keyfob itself.
	Builtin bool `json:"builtin,omitempty"`
	// SHA256 is the executable's checksum, the value for plugin_sha256
	// (not computed for keyfob itself).
	SHA256 string `json:"sha256,omitempty"`
	// Profiles are the configured profiles served by this plugin.
	Profiles        []string          `json:"profiles,omitempty"`
	ProtocolVersion int               `json:"protocol_version,omitempty"`
	Version         string            `json:"version,omitempty"`
	Providers       []providerListing `json:"providers"`
	// Error says why the plugin could not be listed.
	Error string `json:"error,omitempty"`
}

// providerListing is one provider of a plugin.
type providerListing struct {
	Name        string       `json:"name"`
	Description string       `json:"description,omitempty"`
	Interactive bool         `json:"interactive,omitempty"`
	ConfigKeys  []keyListing `json:"config_keys"`
}

// keyListing is one configuration key of a provider.
type keyListing struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Required    bool   `json:"required,omitempty"`
	Secret      bool   `json:"secret,omitempty"`
	List        bool   `json:"list,omitempty"`
}

func newPluginsCmd(env *Env) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "plugins",
		Short: "List keyfob, the installed plugins and those profiles name, with their providers and keys",
		Example: `  keyfob plugins
  keyfob plugins -o json | jq -r '.[].providers[].name'`,
		Long: "List keyfob itself, every keyfob-plugin-NAME in $KEYFOB_PLUGIN_DIR and the user data directory\n" +
			"($XDG_DATA_HOME/keyfob/plugins, else ~/.local/share/keyfob/plugins), and every plugin a profile names:\n" +
			"each one's checksum, the profiles using it, its protocol version and its providers' configuration keys\n" +
			"(* marks a required one). A plugin a profile pins with plugin_sha256 is only started if it matches.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output != "text" && output != "json" {
				return &usageError{fmt.Errorf("--output %q: want text or json", output)}
			}
			f, err := env.loadConfig()
			if err != nil {
				return err
			}
			list, failed := env.listPlugins(cmd.Context(), env.pluginCandidates(f))
			if output == "json" {
				err = json.NewEncoder(env.Stdout).Encode(list)
			} else {
				err = writePluginsText(env.Stdout, list)
			}
			if err != nil {
				return err
			}
			return failed
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	return cmd
}

// listPlugins describes every candidate; the error reports the plugins
// that could not be listed, wrapping the first one's error (so a checksum
// mismatch exits 2).
func (e *Env) listPlugins(ctx context.Context, cands []*pluginCandidate) ([]pluginListing, error) {
	out := make([]pluginListing, 0, len(cands))
	var first error
	n := 0
	for _, c := range cands {
		l, err := e.describePlugin(ctx, c)
		if err != nil {
			l.Error = oneLine(err.Error())
			n++
			if first == nil {
				first = err
			}
		}
		out = append(out, l)
	}
	if first != nil {
		return out, fmt.Errorf("%d of %d plugins could not be listed; the first: %w", n, len(cands), first)
	}
	return out, nil
}

// describePlugin checks a candidate's pins, launches it and asks for its
// providers.
func (e *Env) describePlugin(ctx context.Context, c *pluginCandidate) (pluginListing, error) {
	l := pluginListing{Name: c.Name, Path: c.Path, Builtin: c.Builtin, Profiles: c.Profiles, Providers: []providerListing{}}
	if c.Err != nil {
		return l, c.Err
	}
	pin := ""
	if !c.Builtin {
		sum, err := host.FileSHA256(c.Path)
		if err != nil {
			return l, plugin.Configf("plugin %v", err)
		}
		l.SHA256 = sum
		if pin, err = checkPins(c, sum); err != nil {
			return l, err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, pluginListTimeout)
	defer cancel()
	pl, err := host.Launch(ctx, host.Options{Path: c.Path, SHA256: pin, StartTimeout: pluginListTimeout,
		Logger: newLogger(e.Stderr, e.Getenv("KEYFOB_LOG"))})
	if err != nil {
		return l, err
	}
	defer pl.Close()
	infos, version, err := pl.ListProviders(ctx)
	if err != nil {
		return l, err
	}
	l.ProtocolVersion, l.Version = pl.ProtocolVersion(), version
	for _, info := range infos {
		l.Providers = append(l.Providers, providerFromInfo(info))
	}
	return l, nil
}

// checkPins compares the profiles' plugin_sha256 values with the file's
// checksum sum, and returns the pin to launch with ("" when none).
func checkPins(c *pluginCandidate, sum string) (string, error) {
	for _, pin := range slices.Sorted(maps.Keys(c.Pins)) {
		if pin == sum {
			continue
		}
		if err := host.VerifySHA256(c.Path, pin); err != nil {
			return "", fmt.Errorf("profile %q: %w", c.Pins[pin], err)
		}
	}
	if len(c.Pins) > 0 {
		return sum, nil
	}
	return "", nil
}

// providerFromInfo converts a provider description for the listing.
func providerFromInfo(info plugin.ProviderInfo) providerListing {
	p := providerListing{Name: info.Name, Description: info.Description, Interactive: info.Interactive, ConfigKeys: []keyListing{}}
	for _, k := range info.Keys {
		p.ConfigKeys = append(p.ConfigKeys, keyListing{Name: k.Name, Description: k.Description,
			Required: k.Required, Secret: k.Secret, List: k.List})
	}
	return p
}

// writePluginsText writes the human-readable listing: per plugin a
// heading, its facts, and its providers, each with its keys.
func writePluginsText(w io.Writer, list []pluginListing) error {
	var b strings.Builder
	for i, l := range list {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(pluginHeading(l) + "\n")
		for _, fact := range [][2]string{{"path", l.Path}, {"sha256", l.SHA256}, {"profiles", strings.Join(l.Profiles, ", ")}, {"error", l.Error}} {
			if fact[1] != "" {
				fmt.Fprintf(&b, "  %-9s %s\n", fact[0]+":", fact[1])
			}
		}
		for _, p := range l.Providers {
			fmt.Fprintf(&b, "  provider %s: %s\n", p.Name, p.Description)
			if len(p.ConfigKeys) > 0 {
				fmt.Fprintf(&b, "    keys: %s\n", keyNames(p.ConfigKeys))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// pluginHeading is a plugin's first line: name, protocol and version.
func pluginHeading(l pluginListing) string {
	if l.ProtocolVersion == 0 {
		return l.Name
	}
	h := fmt.Sprintf("%s (protocol %d", l.Name, l.ProtocolVersion)
	if l.Version != "" {
		h += ", version " + l.Version
	}
	return h + ")"
}

// keyNames lists keys, a required one marked with *.
func keyNames(keys []keyListing) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.Name
		if k.Required {
			names[i] += "*"
		}
	}
	return strings.Join(names, ", ")
}
