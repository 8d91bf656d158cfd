package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// binaries are the executables measured.
type binaries struct {
	keyfob, engine, hello string
}

const helloSource = `package main

import "os"

func main() { os.Stdout.WriteString("hello\n") }
`

// build compiles keyfob, keyfob-engine and a hello-world program the way
// releases are built.
func build(dir string) (binaries, error) {
	b := binaries{keyfob: filepath.Join(dir, "keyfob"), engine: filepath.Join(dir, "keyfob-engine"), hello: filepath.Join(dir, "hello")}
	if err := goBuild("", dir+string(filepath.Separator), "./cmd/..."); err != nil {
		return b, err
	}
	helloDir := filepath.Join(dir, "hellosrc")
	if err := os.MkdirAll(helloDir, 0o755); err != nil {
		return b, err
	}
	if err := os.WriteFile(filepath.Join(helloDir, "main.go"), []byte(helloSource), 0o644); err != nil {
		return b, err
	}
	if err := os.WriteFile(filepath.Join(helloDir, "go.mod"), []byte("module hello\n\ngo 1.26\n"), 0o644); err != nil {
		return b, err
	}
	return b, goBuild(helloDir, b.hello, ".")
}

func goBuild(dir, out, pkg string, flags ...string) error {
	cmd := exec.Command("go", append(append([]string{"build", "-trimpath"}, flags...), "-o", out, pkg)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}
