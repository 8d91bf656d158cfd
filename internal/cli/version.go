package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/keyfob/keyfob/plugin"
	"github.com/spf13/cobra"
)

// Version is the keyfob version; release builds set it with -ldflags.
var Version = "dev"

// VersionString returns the version with the module version when built
// by go install.
func VersionString() string {
	if Version != "dev" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return Version
}

func newVersionCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version and the plugin protocol version",
		Example: "  keyfob version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(env.Stdout, "keyfob %s (plugin protocol %d, %s, %s/%s)\n",
				VersionString(), plugin.ProtocolVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
}
