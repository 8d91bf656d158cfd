package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"slices"
	"time"
)

// browserGrace is how long keyfob waits for a browser command to fail
// before taking the URL as opened: xdg-open, open and rundll32 return at
// once, while a browser started in the foreground runs until it is closed.
const browserGrace = 2 * time.Second

// launchBrowser runs each command in turn with rawURL as its one extra
// argument, never through a shell, and returns nil as soon as one has
// started and not failed within browserGrace.
func launchBrowser(ctx context.Context, cmds [][]string, rawURL string) error {
	if err := checkBrowserURL(rawURL); err != nil {
		return err
	}
	var errs []error
	for _, argv := range cmds {
		err := runBrowser(ctx, argv, rawURL)
		if err == nil {
			return nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", argv[0], err))
	}
	return errors.Join(errs...)
}

// runBrowser starts one browser command. Its stdin, stdout and stderr are
// /dev/null: stdout belongs to the host protocol, and a browser left
// running must not hold keyfob's pipes open.
func runBrowser(ctx context.Context, argv []string, rawURL string) error {
	cmd := exec.Command(argv[0], append(slices.Clone(argv[1:]), rawURL)...)
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	grace := time.NewTimer(browserGrace)
	defer grace.Stop()
	select {
	case err := <-exited:
		return err
	case <-grace.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// checkBrowserURL accepts only http and https URLs, so a plugin cannot
// hand the browser a file or an option.
func checkBrowserURL(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("refusing to open %q in a browser: not an http(s) URL", rawURL)
	}
	return nil
}
