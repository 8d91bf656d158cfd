package host

import "fmt"

// PluginExitedError reports that the plugin process died during a call
// (it crashed or was killed). A new Launch may succeed.
type PluginExitedError struct {
	// Path is the plugin executable.
	Path string
	// Pid is the process id the plugin had; 0 if unknown.
	Pid int
	// Status is how the process ended, as os/exec says it ("signal:
	// killed", "exit status 2"); "" if unknown.
	Status string
	// Err is the transport error the call saw.
	Err error
}

// Error names the plugin and how it ended, or the transport error when
// that is unknown.
func (e *PluginExitedError) Error() string {
	how := e.Status
	if how == "" {
		how = fmt.Sprint(e.Err)
	}
	return fmt.Sprintf("plugin %s (pid %d) exited during the call: %s", e.Path, e.Pid, how)
}

// Unwrap returns the transport error.
func (e *PluginExitedError) Unwrap() error { return e.Err }
