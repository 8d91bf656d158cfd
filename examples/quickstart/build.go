package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// buildKeyfob builds keyfob (and keyfob-engine, which answers what
// keyfob's cache cannot) into dir, so the quickstart launches the real
// keyfob executable as its plugin.
func buildKeyfob(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "keyfob")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	say("building keyfob")
	root, err := moduleRoot(ctx)
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, goTool(), "build", "-o", dir+string(filepath.Separator), "./cmd/...")
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building keyfob: %w", err)
	}
	return bin, nil
}

// moduleRoot is the directory of keyfob's go.mod. Building "./cmd/..."
// there, rather than the import-path pattern, keeps go build from loading
// the go.mod files of modules only other platforms need, which an offline
// module cache may lack.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, goTool(), "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("finding keyfob's module: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("finding keyfob's module: run the quickstart from inside the keyfob checkout")
	}
	return filepath.Dir(gomod), nil
}

// goTool is the go command of the toolchain that ran this program (go
// run sets $GOROOT for it), else the one on PATH.
func goTool() string {
	if root := os.Getenv("GOROOT"); root != "" {
		p := filepath.Join(root, "bin", "go")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "go"
}
