package front

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// lookPath finds an executable on PATH without importing os/exec.
func lookPath(name string) (string, error) {
	for _, dir := range strings.Split(os.Getenv("PATH"), string(os.PathListSeparator)) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", errors.New("not found beside keyfob or on PATH")
}
