package harness

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/modfile"
)

// ProductModule is the module path of the product under test.
const ProductModule = "github.com/keyfob/keyfob"

// BinEnv names an environment variable that may hold the path of a keyfob
// executable built beforehand (by CI, or with -cover); BuildKeyfob then
// uses it instead of building.
const BinEnv = "KEYFOB_E2E_BIN"

var build struct {
	once     sync.Once
	dir      string // temporary directory holding the build, removed by Main
	bin      string
	err      error
	duration time.Duration
}

// BuildKeyfob returns the path of a keyfob executable built from
// ./cmd/... (keyfob and keyfob-engine) of the product module with CGO_ENABLED=0. It builds once per
// test binary; concurrent callers wait for that build. If the build fails,
// every caller fails with the compiler's output.
//
// The executable is named keyfob (keyfob.exe on Windows), since keyfob
// dispatches on the base name of argv[0].
func BuildKeyfob(t testing.TB) string {
	t.Helper()
	build.once.Do(buildKeyfob)
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.bin
}

// BuildDuration reports how long BuildKeyfob's build took (zero before it
// ran, or when BinEnv supplied the executable).
func BuildDuration() time.Duration { return build.duration }

// Main runs the tests and then removes BuildKeyfob's build. Use it from
// TestMain: os.Exit(harness.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if build.dir != "" {
		_ = os.RemoveAll(build.dir)
	}
	return code
}

func buildKeyfob() {
	if bin := os.Getenv(BinEnv); bin != "" {
		build.bin, build.err = filepath.Abs(bin)
		if build.err == nil {
			_, build.err = os.Stat(build.bin)
		}
		return
	}
	root, err := findRepoRoot()
	if err != nil {
		build.err = err
		return
	}
	build.dir, build.err = os.MkdirTemp("", "keyfob-e2e-")
	if build.err != nil {
		return
	}
	bin := filepath.Join(build.dir, "keyfob")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	// go test puts its own GOROOT/bin first on PATH, so this is the go
	// command running the tests.
	// ./cmd/... builds keyfob (the lean front) and keyfob-engine beside it.
	cmd := exec.Command("go", "build", "-o", build.dir+string(filepath.Separator), "./cmd/...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	build.duration = time.Since(start)
	if err != nil {
		build.err = fmt.Errorf("building keyfob (go build ./cmd/... in %s): %v\n%s", root, err, out)
		return
	}
	build.bin = bin
}

// RepoRoot returns the directory of the product module: the nearest
// directory at or above the working directory whose go.mod declares
// ProductModule.
func RepoRoot(t testing.TB) string {
	t.Helper()
	root, err := findRepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func findRepoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && modfile.ModulePath(data) == ProductModule {
			return dir, nil
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of module %s at or above %s", ProductModule, wd)
		}
		dir = parent
	}
}

// trimOutput shortens long output for messages.
func trimOutput(s string) string {
	const max = 8 << 10
	if len(s) <= max {
		return s
	}
	return s[:max] + "\n… (truncated)"
}
