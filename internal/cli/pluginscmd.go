package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/plugin"
	"github.com/spf13/cobra"
)

// pluginListing describes one plugin executable and its providers.
type pluginListing struct {
	Path            string                `json:"path"`
	ProtocolVersion int                   `json:"protocol_version"`
	Version         string                `json:"version"`
	Providers       []plugin.ProviderInfo `json:"providers"`
}

func newPluginsCmd(env *Env) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "plugins",
		Short: "List the plugins (keyfob itself and those profiles name) and their providers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			list, err := env.listPlugins(cmd)
			if err != nil {
				return err
			}
			if output == "json" {
				return json.NewEncoder(env.Stdout).Encode(list)
			}
			return writePluginsText(env, list)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	return cmd
}

func (e *Env) listPlugins(cmd *cobra.Command) ([]pluginListing, error) {
	pl, err := host.Launch(cmd.Context(), host.Options{Path: e.Executable, Logger: newLogger(e.Stderr, e.Getenv("KEYFOB_LOG"))})
	if err != nil {
		return nil, err
	}
	defer pl.Close()
	providers, version, err := pl.ListProviders(cmd.Context())
	if err != nil {
		return nil, err
	}
	return []pluginListing{{Path: e.Executable, ProtocolVersion: pl.ProtocolVersion(), Version: version, Providers: providers}}, nil
}

func writePluginsText(env *Env, list []pluginListing) error {
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	for _, l := range list {
		fmt.Fprintf(tw, "%s (protocol %d, version %s)\n", l.Path, l.ProtocolVersion, l.Version)
		for _, p := range l.Providers {
			var keys []string
			for _, k := range p.Keys {
				keys = append(keys, k.Name)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", p.Name, p.Description, strings.Join(keys, ", "))
		}
	}
	return tw.Flush()
}
