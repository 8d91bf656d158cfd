package host

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/keyfob/keyfob"

// goListDeps returns each package matched by patterns with its
// non-test dependencies, as go list -deps sees them.
func goListDeps(t *testing.T, patterns ...string) map[string][]string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	args := append([]string{"list", "-f", `{{.ImportPath}} {{join .Deps " "}}`}, patterns...)
	out, err := exec.CommandContext(t.Context(), goBin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) > 0 {
			deps[fields[0]] = fields[1:]
		}
	}
	return deps
}

// The SDK layers point one way: cmd → internal → host → plugin. A package
// under plugin/ or host/ that needs a helper from internal/ means the
// helper lives in the wrong layer (STYLE: lower layers never import upper
// ones), and Go programs using the SDK could not build it anyway.
func TestSDKImportsNothingInternal(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs go list")
	}
	for pkg, deps := range goListDeps(t, module+"/plugin/...", module+"/host/...") {
		for _, dep := range deps {
			if strings.HasPrefix(dep, module+"/internal/") {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
}

// The small helpers the lean front shares with the SDK must stay
// standard-library only, or the front would link what it avoids.
func TestFrontHelpersAreStdlibOnly(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs go list")
	}
	helpers := []string{module + "/plugin/errdefs", module + "/host/jwtexp", module + "/host/keyspec"}
	for pkg, deps := range goListDeps(t, helpers...) {
		for _, dep := range deps {
			if first, _, _ := strings.Cut(dep, "/"); strings.Contains(first, ".") {
				t.Errorf("%s depends on %s, outside the standard library", pkg, dep)
			}
		}
	}
}
