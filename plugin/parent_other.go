//go:build !unix

package plugin

import "github.com/hashicorp/go-hclog"

// watchParent is a no-op where parent death cannot be observed cheaply;
// go-plugin's host kills the plugin on exit there.
func watchParent(hclog.Logger) (stop func()) { return func() {} }
