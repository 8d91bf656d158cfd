package azurecli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// Output limits: az prints a few hundred bytes of JSON.
const (
	maxStdout = 1 << 20
	maxStderr = 64 << 10
	// waitDelay bounds the wait for output after az is killed, in case a
	// process it started still holds the pipes.
	waitDelay = 2 * time.Second
	// maxMessage caps the part of az's error quoted in keyfob's.
	maxMessage = 300
)

// findAz returns the az executable: explicit (az_path) when set, else
// "az" on PATH, and on Windows "az.cmd" too. exec.LookPath never returns
// a path relative to the working directory.
func findAz(explicit string) (string, error) {
	if explicit != "" {
		path, err := exec.LookPath(plugin.ExpandHome(explicit))
		if err != nil {
			return "", plugin.Configf("key %s: %v", KeyAzPath, err)
		}
		return path, nil
	}
	names := []string{"az"}
	if runtime.GOOS == "windows" {
		names = append(names, "az.cmd")
	}
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", plugin.Configf("the Azure CLI (az) is not on PATH; install it or set %s", KeyAzPath)
}

// childEnv is the plugin's environment for az, without go-plugin's
// handshake variables, and with AZURE_CONFIG_DIR when the host sent one.
func childEnv(configDir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "KEYFOB_PLUGIN=") || strings.HasPrefix(kv, "PLUGIN_") || strings.HasPrefix(kv, "AZURE_CONFIG_DIR=") {
			continue
		}
		env = append(env, kv)
	}
	if configDir != "" {
		env = append(env, "AZURE_CONFIG_DIR="+plugin.ExpandHome(configDir))
	}
	return env
}

// run runs az with a timeout and returns its stdout.
func (p Provider) run(ctx context.Context, path string, c *command, env []string) ([]byte, error) {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stdout, stderr, err := runOnce(runCtx, path, c, env)
	for try := 0; try < 3 && errors.Is(err, syscall.ETXTBSY); try++ {
		// az was just (re)installed and another process's fork still holds
		// it open for writing; the go command retries the same way.
		time.Sleep(20 * time.Millisecond)
		stdout, stderr, err = runOnce(runCtx, path, c, env)
	}
	switch {
	case err == nil && stdout.truncated:
		return nil, fmt.Errorf("az account get-access-token printed more than %d KiB", maxStdout>>10)
	case err == nil:
		return stdout.Bytes(), nil
	case ctx.Err() != nil:
		return nil, plugin.Errorf(plugin.ErrUnavailable, "az account get-access-token: %w", ctx.Err())
	case runCtx.Err() != nil:
		return nil, plugin.Errorf(plugin.ErrUnavailable, "az account get-access-token did not finish within %v", timeout)
	}
	return nil, runError(err, stderr.String(), c)
}

// runOnce starts az once and waits for it.
func runOnce(ctx context.Context, path string, c *command, env []string) (stdout, stderr *capped, err error) {
	cmd := exec.CommandContext(ctx, path, c.args()...)
	cmd.Env = env
	cmd.Stdin = nil // the null device
	stdout, stderr = &capped{max: maxStdout}, &capped{max: maxStderr}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = waitDelay
	ownProcessGroup(cmd)
	return stdout, stderr, cmd.Run()
}

// runError classifies a failed az run: not signed in needs a person; an
// Entra refusal is a refusal; anything else is unexpected.
func runError(err error, stderr string, c *command) error {
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return plugin.Configf("running az: %v", err) // not executable, bad interpreter…
	}
	msg := azMessage(stderr)
	switch {
	case strings.Contains(strings.ToLower(stderr), "az login"):
		return plugin.Errorf(plugin.ErrInteractionRequired, "the Azure CLI is not signed in, or its sign-in expired; run az login%s (az: %s)", c.tenantArg(), msg)
	case strings.Contains(stderr, "AADSTS"):
		return plugin.Errorf(plugin.ErrRefused, "az account get-access-token: %s", msg)
	}
	return fmt.Errorf("az account get-access-token failed (%v): %s", exitErr, msg)
}

// azMessage picks the line of az's stderr worth quoting: the last
// "ERROR:" line, else the last non-empty one, cut to maxMessage.
func azMessage(stderr string) string {
	var last, lastError string
	for _, line := range strings.Split(stderr, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			continue
		}
		last = line
		if strings.HasPrefix(line, "ERROR:") {
			lastError = line
		}
	}
	msg := last
	if lastError != "" {
		msg = lastError
	}
	if msg == "" {
		return "no error message"
	}
	if len(msg) > maxMessage {
		msg = msg[:maxMessage] + "…"
	}
	return msg
}

// capped is a buffer that keeps at most max bytes and discards the rest,
// still reporting every write as complete so the child never blocks or
// fails on a full pipe.
type capped struct {
	bytes.Buffer
	max       int
	truncated bool
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.Len(); room < len(p) {
		c.truncated = true
		c.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.Buffer.Write(p)
}
