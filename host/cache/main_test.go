package cache

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// The test binary re-executes itself as a helper process when helperEnv is
// set: "count" increments a counter under the lock, "hold" takes the lock
// and sleeps until killed.
const (
	helperEnv        = "KEYFOB_CACHE_TEST_HELPER"
	helperDirEnv     = "KEYFOB_CACHE_TEST_DIR"
	helperCounterEnv = "KEYFOB_CACHE_TEST_COUNTER"
	helperItersEnv   = "KEYFOB_CACHE_TEST_ITERS"
	counterKey       = "counter"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(runHelper(mode))
	}
	os.Exit(m.Run())
}

// runHelper is the helper process's main.
func runHelper(mode string) int {
	c, err := Open(os.Getenv(helperDirEnv), Options{})
	if err == nil {
		switch mode {
		case "count":
			err = helperCount(c)
		case "hold":
			err = helperHold(c)
		default:
			err = fmt.Errorf("unknown helper mode %q", mode)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 1
	}
	return 0
}

// helperCount says "ready", waits for stdin to close, then increments.
func helperCount(c *Cache) error {
	iters, err := strconv.Atoi(os.Getenv(helperItersEnv))
	if err != nil {
		return err
	}
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
	for range iters {
		if err := increment(c, os.Getenv(helperCounterEnv)); err != nil {
			return err
		}
	}
	return nil
}

// helperHold takes the lock, says "locked" and waits to be killed.
func helperHold(c *Cache) error {
	if _, err := c.Lock(context.Background(), counterKey, nil); err != nil {
		return err
	}
	fmt.Println("locked")
	time.Sleep(time.Hour)
	return nil
}

// increment adds one to the number in the file counter under the lock,
// failing if anyone else is inside at the same time. The read-modify-write
// is deliberately not atomic: only the lock keeps it correct.
func increment(c *Cache, counter string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	unlock, err := c.Lock(ctx, counterKey, nil)
	if err != nil {
		return err
	}
	defer unlock()
	inside, err := os.OpenFile(counter+".inside", os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("two lock holders at once: %w", err)
	}
	_ = inside.Close()
	if err := bump(counter); err != nil {
		return err
	}
	return os.Remove(counter + ".inside")
}

// bump rewrites the counter file with its value plus one.
func bump(counter string) error {
	n := 0
	b, err := os.ReadFile(counter)
	if err == nil {
		if n, err = strconv.Atoi(string(b)); err != nil {
			return fmt.Errorf("counter torn: %q", b)
		}
	}
	time.Sleep(100 * time.Microsecond)
	return os.WriteFile(counter, []byte(strconv.Itoa(n+1)), 0o600)
}

// helper starts the test binary as a helper process in mode.
func helper(t *testing.T, mode, dir string, env ...string) (*exec.Cmd, io.WriteCloser, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append(env, helperEnv+"="+mode, helperDirEnv+"="+dir)...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd, stdin, bufio.NewReader(stdout)
}

// expectLine reads one line from r and fails unless it is want.
func expectLine(t *testing.T, r *bufio.Reader, want string) {
	t.Helper()
	line, err := r.ReadString('\n')
	if err != nil || line != want+"\n" {
		t.Fatalf("helper said %q (%v), want %q", line, err, want)
	}
}

// newCache opens a cache in a fresh temporary directory.
func newCache(t testing.TB, opts Options) *Cache {
	t.Helper()
	c, err := Open(filepath.Join(t.TempDir(), "cache"), opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fixed is the reference time of the tests.
var fixed = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
