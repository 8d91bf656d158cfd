package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
	cmd := exec.CommandContext(ctx, goTool(), "build", "-o", dir+string(filepath.Separator), "github.com/keyfob/keyfob/cmd/...")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building keyfob: %w", err)
	}
	return bin, nil
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
