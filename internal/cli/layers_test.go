package cli

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoPipelineInTheCLI keeps the token pipeline in host (host.Cache):
// the CLI imports neither the disk cache nor the lock package.
func TestNoPipelineInTheCLI(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, imp := range strings.Fields(string(out)) {
		if strings.HasPrefix(imp, "github.com/keyfob/keyfob/host/cache") || strings.Contains(imp, "gofrs/flock") {
			t.Errorf("internal/cli imports %s; the pipeline belongs in host", imp)
		}
	}
}
