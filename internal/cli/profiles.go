package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

// profileListing is one line of keyfob profiles.
type profileListing struct {
	Name     string `json:"name"`
	Provider string `json:"provider"`
	Default  bool   `json:"default,omitempty"`
	Hosts    string `json:"hosts,omitempty"`
}

func newProfilesCmd(env *Env) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List the configured profiles",
		Example: `  keyfob profiles
  keyfob profiles -o json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			f, err := env.loadConfig()
			if err != nil {
				return err
			}
			var list []profileListing
			for _, name := range f.ProfileNames() {
				p, _ := f.Profile(name)
				list = append(list, profileListing{Name: name, Provider: p.Values["provider"],
					Default: name == f.DefaultProfile, Hosts: p.Values["hosts"]})
			}
			if output == "json" {
				return json.NewEncoder(env.Stdout).Encode(list)
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "PROFILE\tPROVIDER\tDEFAULT\tHOSTS")
			for _, l := range list {
				fmt.Fprintf(tw, "%s\t%s\t%v\t%s\n", l.Name, l.Provider, l.Default, l.Hosts)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	return cmd
}
