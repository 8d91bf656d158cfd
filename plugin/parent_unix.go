//go:build unix

package plugin

import (
	"os"
	"time"

	"github.com/hashicorp/go-hclog"
)

// watchParent exits the plugin when its host dies: on Unix an orphan is
// re-parented, so a changed parent pid means the host is gone.
func watchParent(log hclog.Logger) (stop func()) {
	ppid := os.Getppid()
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if os.Getppid() != ppid {
					log.Warn("host process is gone; plugin exiting")
					os.Exit(1)
				}
			}
		}
	}()
	return func() { close(done) }
}
