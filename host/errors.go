package host

import "fmt"

// PluginExitedError reports that the plugin process died during a call
// (it crashed or was killed). A new Launch may succeed.
type PluginExitedError struct {
	// Path identifies the plugin process.
	Path string
	// Err is the transport error the call saw.
	Err error
}

// Error names the plugin.
func (e *PluginExitedError) Error() string {
	return fmt.Sprintf("plugin process %s exited during the call: %v", e.Path, e.Err)
}

// Unwrap returns the transport error.
func (e *PluginExitedError) Unwrap() error { return e.Err }
