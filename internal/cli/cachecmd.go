package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/spf13/cobra"
)

func newCacheCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cache",
		Short: "List or clear cached tokens and refresh state (never shows token values)",
		Example: `  keyfob cache list
  keyfob cache clear -p graph`,
	}
	cmd.AddCommand(newCacheListCmd(env), newCacheClearCmd(env))
	return cmd
}

func newCacheListCmd(env *Env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List cache entries and signed-in accounts: kind, profile, account, scopes, expiry, storage",
		Example: `  keyfob cache list
  keyfob cache list -o json | jq -r '.[] | select(.kind == "access") | .expires_at'`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			list, err := env.adminCache().List()
			if err != nil {
				return err
			}
			if format == "json" {
				return json.NewEncoder(env.Stdout).Encode(list)
			}
			return writeCacheList(env, list)
		},
	}
	cmd.Flags().StringVarP(&format, "output", "o", "text", "output format: text or json")
	return cmd
}

func writeCacheList(env *Env, list []host.CacheListing) error {
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tPROFILE\tACCOUNT\tSCOPES\tEXPIRES\tSTORAGE")
	for _, l := range list {
		exp := "-"
		if !l.ExpiresAt.IsZero() {
			exp = l.ExpiresAt.Local().Format(time.DateTime)
		}
		storage := l.Path
		if l.Sealed {
			storage += " (encrypted)"
		}
		if l.Kind == host.CacheKindAccount && l.Detail != "" {
			storage += " (" + l.Detail + ")"
		}
		if l.Problem != "" {
			storage += " (" + l.Problem + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", l.Kind, dash(l.Profile), dash(l.Account), dash(strings.Join(l.Scopes, " ")), exp, storage)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newCacheClearCmd(env *Env) *cobra.Command {
	var profile string
	cmd := &cobra.Command{
		Use:   "clear",
		Short: "Remove cached tokens and refresh state (all, or one profile's with -p)",
		Example: `  keyfob cache clear              # everything: the next call signs in again
  keyfob cache clear -p graph     # graph's access tokens only`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if profile != "" {
				return env.adminCache().ClearProfile(profile)
			}
			return env.adminCache().Clear()
		},
	}
	cmd.Flags().StringVarP(&profile, "profile", "p", "", "clear only this profile's access tokens")
	return cmd
}
