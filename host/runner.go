package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin/runner"
)

// cmdRunner starts the plugin process the way go-plugin's own runner does,
// except that the plugin gets no stdin (a host protocol's stdin is the
// host's alone) and, on Linux, dies with the host (see procattr_*.go).
type cmdRunner struct {
	cmd    *exec.Cmd
	stdout io.ReadCloser
	stderr io.ReadCloser
	path   string
	pid    int
}

var _ runner.Runner = (*cmdRunner)(nil)

// newRunnerFunc returns a go-plugin RunnerFunc using cmdRunner. go-plugin
// hands it a template command holding only the handshake environment; the
// real command runs path with args and env plus that environment.
func newRunnerFunc(path string, args, env []string) func(hclog.Logger, *exec.Cmd, string) (runner.Runner, error) {
	return func(_ hclog.Logger, tmpl *exec.Cmd, _ string) (runner.Runner, error) {
		cmd := exec.Command(path, args...)
		cmd.Env = append(append([]string{}, env...), tmpl.Env...)
		cmd.Stdin = nil
		setProcAttr(cmd)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		stderr, err := cmd.StderrPipe()
		if err != nil {
			return nil, err
		}
		return &cmdRunner{cmd: cmd, stdout: stdout, stderr: stderr, path: cmd.Path}, nil
	}
}

func (c *cmdRunner) Start(context.Context) error {
	if err := c.cmd.Start(); err != nil {
		return err
	}
	c.pid = c.cmd.Process.Pid
	return nil
}

func (c *cmdRunner) Wait(context.Context) error { return c.cmd.Wait() }

func (c *cmdRunner) Kill(context.Context) error {
	if c.cmd.Process == nil {
		return nil
	}
	if err := c.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}

func (c *cmdRunner) Stdout() io.ReadCloser { return c.stdout }
func (c *cmdRunner) Stderr() io.ReadCloser { return c.stderr }
func (c *cmdRunner) Name() string          { return c.path }
func (c *cmdRunner) ID() string            { return fmt.Sprintf("%d", c.pid) }

func (c *cmdRunner) Diagnose(context.Context) string {
	return fmt.Sprintf("plugin %s did not complete the keyfob handshake: it may be built for another platform, "+
		"not be a keyfob plugin, or have written to stdout before the handshake", c.path)
}

func (c *cmdRunner) PluginToHost(n, a string) (string, string, error) { return n, a, nil }
func (c *cmdRunner) HostToPlugin(n, a string) (string, string, error) { return n, a, nil }
