package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/host/protocol/all"
	"github.com/spf13/cobra"
)

// engineName is the engine executable installed beside the lean front.
const engineName = "keyfob-engine"

func newInstallHelpersCmd(env *Env) *cobra.Command {
	list := all.Protocols()
	return &cobra.Command{
		Use:   "install-helpers [DIR]",
		Short: "Create the helper names host tools run: git-credential-keyfob, docker-credential-keyfob, …",
		Long: wrap("Creates "+andList(protocol.HelperNames(list))+" next to keyfob, or in DIR: symlinks, or hard links "+
			"or copies where symlinks are unavailable (then keyfob-engine is linked or copied into DIR too, since keyfob "+
			"finds it beside itself). Existing files of these names are replaced.", helpWidth),
		Example: installExample(list),
		Args:    usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(_ *cobra.Command, args []string) error {
			target := helperTarget(env.Executable)
			dir := filepath.Dir(target)
			if len(args) == 1 {
				dir = args[0]
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			done, err := installHelpers(target, dir, osLinks)
			for _, d := range done {
				fmt.Fprintf(env.Stdout, "%s -> %s (%s)\n", d.path, d.target, d.how)
			}
			if err == nil && !onPath(dir, env.Getenv("PATH")) {
				fmt.Fprintf(env.Stderr, "keyfob: note: %s is not on PATH; %s\n", dir, whereToolsLook(list))
			}
			return err
		},
	}
}

// installed is one name install-helpers created.
type installed struct {
	path, target, how string
}

// helpWidth is the width install-helpers' help is wrapped to.
const helpWidth = 91

// installExample is install-helpers' example: beside keyfob, and in each
// helper directory a tool looks in instead of PATH.
func installExample(list []protocol.Protocol) string {
	type line struct{ dir, note string }
	lines := []line{{"", "beside keyfob, e.g. in ~/go/bin"}}
	width := 0
	for _, p := range list {
		if h := p.Help(); h.HelperDir != "" {
			lines = append(lines, line{h.HelperDir, "where " + h.Tool + " looks for helpers"})
			width = max(width, len(h.HelperDir))
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = fmt.Sprintf("  keyfob install-helpers %-*s  # %s", width, l.dir, l.note)
	}
	return strings.Join(out, "\n")
}

// whereToolsLook says where the tools that run helper names look for
// them: "git and docker look for helpers there (Tool in HelperDir)".
func whereToolsLook(list []protocol.Protocol) string {
	var onPath, elsewhere []string
	for _, p := range list {
		switch h := p.Help(); {
		case h.Tool == "":
		case h.HelperDir == "":
			onPath = append(onPath, h.Tool)
		default:
			elsewhere = append(elsewhere, h.Tool+" in "+h.HelperDir)
		}
	}
	s := andList(onPath) + " look for helpers there"
	if len(elsewhere) > 0 {
		s += " (" + strings.Join(elsewhere, ", ") + ")"
	}
	return s
}

// andList joins words as prose: "a", "a and b", "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// wrap breaks text into lines of at most width bytes, between words.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		switch {
		case n == 0:
		case n+1+len(w) > width:
			b.WriteString("\n")
			n = 0
		default:
			b.WriteString(" ")
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

// exeSuffix is the executable suffix of the platform.
func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

// helperTarget is the executable the helper names lead to: the lean front
// (keyfob) beside the running engine when there is one, else the running
// executable itself (on Windows keyfob is the engine).
func helperTarget(exe string) string {
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	if strings.TrimSuffix(filepath.Base(exe), exeSuffix()) == engineName {
		front := filepath.Join(filepath.Dir(exe), "keyfob"+exeSuffix())
		if st, err := os.Stat(front); err == nil && st.Mode().IsRegular() {
			return front
		}
	}
	return exe
}

// linkFuncs are the ways installOne links a name to a file, tried in
// order before copying; tests replace them to see the fallbacks.
type linkFuncs struct {
	symlink, link func(oldname, newname string) error
}

// osLinks are the real ones.
var osLinks = linkFuncs{symlink: os.Symlink, link: os.Link}

// installHelpers creates every helper name in dir. When it had to fall
// back to hard links or copies in another directory than target's, it
// puts keyfob-engine there too: the front finds the engine beside the
// executable it runs as, and a hard link or copy resolves to itself.
func installHelpers(target, dir string, l linkFuncs) ([]installed, error) {
	var done []installed
	needEngine := false
	for _, name := range protocol.HelperNames(all.Protocols()) {
		path := filepath.Join(dir, name+exeSuffix())
		how, err := installOne(target, path, l)
		if err != nil {
			return done, err
		}
		done = append(done, installed{path, target, how})
		needEngine = needEngine || how == "hard link" || how == "copy"
	}
	engine := filepath.Join(filepath.Dir(target), engineName+exeSuffix())
	if !needEngine || sameDir(dir, filepath.Dir(target)) || engine == target {
		return done, nil
	}
	if _, err := os.Stat(engine); err != nil {
		return done, nil // no separate engine (Windows), or none installed
	}
	path := filepath.Join(dir, engineName+exeSuffix())
	how, err := installOne(engine, path, l)
	if err == nil {
		done = append(done, installed{path, engine, how})
	}
	return done, err
}

// installOne makes path lead to target: a symlink (relative within one
// directory), else a hard link, else a copy. A path that already is
// target is left alone; any other file of that name is replaced.
func installOne(target, path string, l linkFuncs) (string, error) {
	if sameFile(target, path) {
		return "already there", nil
	}
	if _, err := os.Lstat(path); err == nil {
		if err := os.Remove(path); err != nil {
			return "", err
		}
	}
	link := target
	if sameDir(filepath.Dir(path), filepath.Dir(target)) {
		link = filepath.Base(target)
	}
	if l.symlink(link, path) == nil {
		return "symlink", nil
	}
	if l.link(target, path) == nil {
		return "hard link", nil
	}
	if err := copyExecutable(target, path); err != nil {
		return "", fmt.Errorf("creating %s: %w", path, err)
	}
	return "copy", nil
}

// copyExecutable copies from to to (mode 0755) through a temporary file
// renamed into place.
func copyExecutable(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(filepath.Dir(to), "."+filepath.Base(to)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, src); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o755); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), to)
}

// sameFile reports whether a and b are the same file (b may be a link).
func sameFile(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

// sameDir reports whether a and b name the same directory.
func sameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	return sameFile(a, b)
}

// onPath reports whether dir is one of PATH's directories.
func onPath(dir, path string) bool {
	for _, d := range filepath.SplitList(path) {
		if d != "" && sameDir(d, dir) {
			return true
		}
	}
	return false
}
