//go:build unix

package config

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/host/safefile"
)

// In tests a file is old enough for a snapshot after testSettle, a few
// times the granularity of change times.
const testSettle = 30 * time.Millisecond

func init() {
	snapshotSettle = testSettle
	snapshotMinSize = 0 // the tests' files are small; TestLoadIndexedSmallFileNoSnapshot checks the default
}

// settle waits until files written before are old enough for a snapshot,
// and a write after would get another change time.
func settle() { time.Sleep(testSettle + 10*time.Millisecond) }

// snapshotCorpus is every document of the package's test corpora, by
// name: plain or not, valid or not.
func snapshotCorpus(t *testing.T) map[string]string {
	docs := map[string]string{"contract": contractExample, "empty": "", "many": string(manyProfiles(50)),
		"literal": "[profiles.b]\nclient_secret = \"s3cret\"\n[profiles.a]\nclient_secret = \"x\"\npassword = \"env:P\"\n"}
	add := func(prefix string, m map[string]string) {
		for name, doc := range m {
			docs[prefix+name] = doc
		}
	}
	add("plain/", plainCases)
	for name, tc := range fastCases {
		docs["fast/"+name] = tc.doc
	}
	for i, doc := range notPlain {
		docs["notplain/"+strconv.Itoa(i)] = doc
	}
	add("fuzz/", fuzzCorpus(t, "testdata/fuzz/FuzzLoad"))
	return docs
}

// fuzzCorpus reads the []byte inputs of a committed fuzz corpus.
func fuzzCorpus(t *testing.T, dir string) map[string]string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		_, lit, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lit, "[]byte("), ")"))
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		docs[e.Name()] = s
	}
	return docs
}

// loaded is what a load gives, for comparison: the File's view, its
// literal-secret warning and the error.
type loaded struct {
	View    fileView
	Warning string
	Err     string
}

// loadedOf is what load(path) gives.
func loadedOf(t *testing.T, path string, load func(string) (*File, error)) loaded {
	t.Helper()
	f, err := load(path)
	if err != nil {
		return loaded{Err: err.Error()}
	}
	return loaded{View: viewOf(t, f), Warning: LiteralSecretWarning(path, f)}
}

// indexed is LoadIndexed with the snapshot directory dir.
func indexed(dir string) func(string) (*File, error) {
	return func(path string) (*File, error) { return LoadIndexed(path, dir) }
}

// fromSnapshot reports whether LoadIndexed(path, dir) reads the snapshot.
func fromSnapshot(t *testing.T, path, dir string) bool {
	t.Helper()
	f, err := LoadIndexed(path, dir)
	return err == nil && f.plain != nil && f.plain.order != nil
}

func TestLoadIndexedSameAsLoad(t *testing.T) {
	t.Parallel()
	root, snaps := t.TempDir(), t.TempDir()
	docs := snapshotCorpus(t)
	paths := map[string]string{}
	for name, doc := range docs {
		p := filepath.Join(root, strings.ReplaceAll(name, "/", "_")+".toml")
		if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		mode := fs.FileMode(0o600)
		if strings.Contains(name, "literal") || strings.Contains(name, "contract") {
			mode = 0o644 // the literal-secret warning
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		paths[name] = p
	}
	settle()
	warm := 0
	for name, p := range paths {
		want := loadedOf(t, p, Load)
		for _, round := range []string{"fresh", "warm"} {
			if diff := cmp.Diff(want, loadedOf(t, p, indexed(snaps))); diff != "" {
				t.Errorf("%s, %s snapshot: LoadIndexed differs from Load (-Load +LoadIndexed):\n%s", name, round, diff)
			}
		}
		if fromSnapshot(t, p, snaps) {
			warm++
		} else if _, plain := plainParse(p, docs[name], nil); plain {
			t.Errorf("%s: a plain file is not read from its snapshot", name)
		}
	}
	if warm < 20 {
		t.Errorf("only %d files read from a snapshot", warm)
	}
}

// snapshotFixture is a plain configuration file, old enough for a
// snapshot, and a snapshot directory holding its snapshot.
func snapshotFixture(t *testing.T, doc string) (path, dir string) {
	t.Helper()
	path, dir = writeFile(t, doc), filepath.Join(t.TempDir(), "cache")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	settle()
	if _, err := LoadIndexed(path, dir); err != nil {
		t.Fatal(err)
	}
	if !fromSnapshot(t, path, dir) {
		t.Fatal("the snapshot is not used")
	}
	return path, dir
}

const snapDoc = "default_profile = \"a\"\n[profiles.a]\nclient_id = \"aaaa\"\nhosts = [\"a.example\"]\n" +
	"[profiles.b]\nclient_id = \"bbbb\"\n"

func TestLoadIndexedSeesChanges(t *testing.T) {
	t.Parallel()
	keepMtime := func(t *testing.T, path string, edit func()) {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		edit()
		if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
	tests := map[string]struct {
		change func(t *testing.T, path string)
		same   bool // the file is refused as Load refuses it
	}{
		"a value edited in place, same size and mtime": {change: func(t *testing.T, path string) {
			keepMtime(t, path, func() { overwrite(t, path, 0, strings.Replace(snapDoc, "aaaa", "zzzz", 1)) })
		}},
		"a broken line, same size and mtime": {change: func(t *testing.T, path string) {
			keepMtime(t, path, func() {
				overwrite(t, path, 0, strings.Replace(snapDoc, "client_id = \"bbbb\"", "client_ix = \"bbbb\"", 1))
			})
		}},
		"a broken line appended": {change: func(t *testing.T, path string) {
			appendTo(t, path, "client_id = 1.5\n")
		}},
		"replaced by rename": {change: func(t *testing.T, path string) {
			tmp := path + ".new"
			overwrite(t, tmp, 0o600, strings.Replace(snapDoc, "bbbb", "cccc", 1))
			if err := os.Rename(tmp, path); err != nil {
				t.Fatal(err)
			}
		}},
		"made writable by others": {change: func(t *testing.T, path string) { chmod(t, path, 0o666) }, same: true},
		"made writable by a shared group": {change: func(t *testing.T, path string) {
			if !shareGroup(path) {
				t.Skip("cannot change the file's group")
			}
			chmod(t, path, 0o620)
		}, same: true},
		"made someone else's": {change: func(t *testing.T, path string) {
			if err := os.Chown(path, 4242, -1); err != nil {
				t.Skipf("chown: %v", err)
			}
		}, same: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path, dir := snapshotFixture(t, snapDoc)
			tc.change(t, path)
			want := loadedOf(t, path, Load)
			if got := loadedOf(t, path, indexed(dir)); !cmp.Equal(want, got) {
				t.Fatalf("after the change LoadIndexed differs from Load:\n%s", cmp.Diff(want, got))
			}
			if _, err := LoadIndexed(path, dir); tc.same {
				var ue *safefile.UnsafeError
				if !errors.As(err, &ue) {
					t.Fatalf("LoadIndexed = %v, want the refusal of an unsafe file", err)
				}
			}
		})
	}
}

// overwrite writes data to path in place (creating it with mode perm).
func overwrite(t *testing.T, path string, perm fs.FileMode, data string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
}

// appendTo appends data to path.
func appendTo(t *testing.T, path, data string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
}

// chmod sets path's mode.
func chmod(t *testing.T, path string, mode fs.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func TestLoadIndexedIgnoresBadSnapshots(t *testing.T) {
	t.Parallel()
	tests := map[string]func(t *testing.T, snap string){
		"corrupt": func(t *testing.T, snap string) {
			b := readBytes(t, snap)
			b[len(b)/2] ^= 1
			overwrite(t, snap, 0, string(b))
		},
		"truncated":          func(t *testing.T, snap string) { truncate(t, snap, 20) },
		"empty":              func(t *testing.T, snap string) { truncate(t, snap, 0) },
		"readable by group":  func(t *testing.T, snap string) { chmod(t, snap, 0o640) },
		"writable by others": func(t *testing.T, snap string) { chmod(t, snap, 0o602) },
		"someone else's":     func(t *testing.T, snap string) { chownOrSkip(t, snap, 4242) },
		"a symbolic link":    func(t *testing.T, snap string) { symlinkOver(t, snap) },
		"a directory": func(t *testing.T, snap string) {
			replaceWith(t, snap, func(p string) error { return os.Mkdir(p, 0o700) })
		},
		"a FIFO": func(t *testing.T, snap string) {
			replaceWith(t, snap, func(p string) error { return syscall.Mkfifo(p, 0o600) })
		},
		"another file's":      func(t *testing.T, snap string) { otherSnapshot(t, snap) },
		"another path's name": func(t *testing.T, snap string) { renamePath(t, snap) },
	}
	for name, spoil := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path, dir := snapshotFixture(t, snapDoc)
			snap := snapshotPath(dir, path)
			spoil(t, snap)
			if fromSnapshot(t, path, dir) {
				t.Fatal("a spoilt snapshot is used")
			}
			if name != "a directory" { // else it stays in the way
				checkSnapshotFile(t, snap) // rewritten
				if !fromSnapshot(t, path, dir) {
					t.Fatal("the rewritten snapshot is not used")
				}
			}
			want := loadedOf(t, path, Load)
			if got := loadedOf(t, path, indexed(dir)); !cmp.Equal(want, got) {
				t.Fatalf("LoadIndexed differs from Load:\n%s", cmp.Diff(want, got))
			}
		})
	}
}

// readBytes reads path.
func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// truncate truncates path to n bytes.
func truncate(t *testing.T, path string, n int64) {
	t.Helper()
	if err := os.Truncate(path, n); err != nil {
		t.Fatal(err)
	}
}

// chownOrSkip gives path to uid, skipping the test when it cannot.
func chownOrSkip(t *testing.T, path string, uid int) {
	t.Helper()
	if err := os.Chown(path, uid, -1); err != nil {
		t.Skipf("chown: %v", err)
	}
}

// replaceWith removes path and makes something else there.
func replaceWith(t *testing.T, path string, make func(string) error) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := make(path); err != nil {
		t.Skipf("cannot make %s: %v", path, err)
	}
}

// symlinkOver moves the snapshot aside and links to it.
func symlinkOver(t *testing.T, snap string) {
	t.Helper()
	if err := os.Rename(snap, snap+".real"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(snap+".real", snap); err != nil {
		t.Fatal(err)
	}
}

// otherSnapshot replaces the snapshot with a valid one of another file
// whose snapshot lies at the same place: as if the config were replaced.
func otherSnapshot(t *testing.T, snap string) {
	t.Helper()
	other, dir := snapshotFixture(t, "[profiles.b]\nclient_id = \"x\"\n")
	if err := os.Rename(snapshotPath(dir, other), snap); err != nil {
		t.Fatal(err)
	}
}

// renamePath rewrites the path recorded in the snapshot (keeping its
// checksum valid), as a hash collision of two paths would.
func renamePath(t *testing.T, snap string) {
	t.Helper()
	b := readBytes(t, snap)
	at := len(snapshotMagic) + 5*8 + 4*4 + 4
	b[at] ^= 1
	overwrite(t, snap, 0, string(withCRC(b[:len(b)-4])))
}

// withCRC is a snapshot body with its checksum.
func withCRC(body []byte) []byte {
	return binary.LittleEndian.AppendUint32(append([]byte(nil), body...), crc32.Checksum(body, crcTable()))
}

// checkSnapshotFile checks that the snapshot is a 0600 regular file.
func checkSnapshotFile(t *testing.T, snap string) {
	t.Helper()
	fi, err := os.Lstat(snap)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
		t.Fatalf("snapshot %s has mode %v, want a regular file of mode 0600", snap, fi.Mode())
	}
}

func TestLoadIndexedSnapshotFile(t *testing.T) {
	t.Parallel()
	path, dir := snapshotFixture(t, snapDoc)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 || filepath.Join(dir, ents[0].Name()) != snapshotPath(dir, path) {
		t.Fatalf("the cache directory holds %v, want the one snapshot and no temporary file", ents)
	}
	checkSnapshotFile(t, snapshotPath(dir, path))
	if strings.Contains(ents[0].Name(), "config") {
		t.Errorf("the snapshot's name %q shows the path", ents[0].Name())
	}
}

func TestLoadIndexedSkipsFreshFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeFile(t, snapDoc)
	if _, err := LoadIndexed(path, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(snapshotPath(dir, path)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a snapshot of a file changed just now: %v", err)
	}
	now := time.Unix(100, 0)
	for _, tc := range []struct {
		ctime, mtime time.Duration // before now
		want         bool
	}{{testSettle, testSettle, true}, {time.Hour, time.Hour, true}, {testSettle - 1, time.Hour, false},
		{time.Hour, testSettle - 1, false}, {-time.Hour, time.Hour, false}} {
		id := fileIdentity{ctime: now.Add(-tc.ctime).UnixNano(), mtime: now.Add(-tc.mtime).UnixNano()}
		if got := settled(id, now); got != tc.want {
			t.Errorf("settled(ctime now-%v, mtime now-%v) = %v, want %v", tc.ctime, tc.mtime, got, tc.want)
		}
	}
}

func TestLoadIndexedWithoutDirectory(t *testing.T) {
	t.Parallel()
	path := writeFile(t, snapDoc)
	missing := filepath.Join(t.TempDir(), "no", "such")
	for _, dir := range []string{"", missing} {
		if got, want := loadedOf(t, path, indexed(dir)), loadedOf(t, path, Load); !cmp.Equal(got, want) {
			t.Errorf("LoadIndexed(%q) differs from Load:\n%s", dir, cmp.Diff(want, got))
		}
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadIndexed created %s: %v", missing, err)
	}
	if f, err := LoadIndexed("", "x"); err != nil || f.Path != "" {
		t.Errorf("LoadIndexed of no path = %v, %v", f, err)
	}
	if f, err := LoadIndexed(filepath.Join(missing, "c.toml"), t.TempDir()); err != nil || len(f.ProfileNames()) != 0 {
		t.Errorf("LoadIndexed of a missing file = %v, %v", f, err)
	}
}

// snapshotOf is the snapshot of doc as the file path of identity id.
func snapshotOf(t testing.TB, path, doc string, id fileIdentity) []byte {
	f, ok := plainParse(path, doc, nil)
	if !ok {
		t.Fatalf("%q is not plain", doc)
	}
	return encodeSnapshot(path, id, f)
}

var testIdentity = fileIdentity{dev: 1, ino: 2, size: 3, mtime: 4, ctime: 5, mode: 0o100644, uid: 6, gid: 7}

func TestDecodeSnapshotRefusesDamage(t *testing.T) {
	t.Parallel()
	doc := snapDoc + "[profiles.\"q\"]\npreset = \"graph\"\n"
	snap := snapshotOf(t, "c.toml", doc, testIdentity)
	if f, ok := decodeSnapshot(snap, "c.toml", doc, testIdentity); !ok {
		t.Fatal("a snapshot does not decode")
	} else if want, _ := Parse("c.toml", []byte(doc)); !cmp.Equal(viewOf(t, want), viewOf(t, f)) {
		t.Fatalf("decoded snapshot (-Parse +snapshot):\n%s", cmp.Diff(viewOf(t, want), viewOf(t, f)))
	}
	body := snap[:len(snap)-4]
	for n := range len(snap) {
		if _, ok := decodeSnapshot(snap[:n], "c.toml", doc, testIdentity); ok {
			t.Errorf("a snapshot truncated to %d bytes decodes", n)
		}
		if _, ok := decodeSnapshot(withCRC(body[:min(n, len(body)-1)]), "c.toml", doc, testIdentity); ok {
			t.Errorf("a snapshot truncated to %d bytes with a valid checksum decodes", n)
		}
	}
	other := testIdentity
	other.ctime++
	for what, args := range map[string][3]any{
		"identity": {"c.toml", doc, other}, "path": {"d.toml", doc, testIdentity},
		"shorter text": {"c.toml", doc[:len(doc)-2], testIdentity},
	} {
		if _, ok := decodeSnapshot(snap, args[0].(string), args[1].(string), args[2].(fileIdentity)); ok {
			t.Errorf("a snapshot decodes for another %s", what)
		}
	}
}

func FuzzDecodeSnapshot(f *testing.F) {
	doc := snapDoc + "[profiles.\"q\"]\npreset = \"graph\"\nx_y = \"\\u0041\"\n"
	f.Add(snapshotOf(f, "c.toml", doc, testIdentity)[:len(snapshotMagic)])
	f.Add(snapshotOf(f, "c.toml", doc, testIdentity))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 4 {
			return
		}
		file, ok := decodeSnapshot(withCRC(b[:len(b)-4]), "c.toml", doc, testIdentity)
		if !ok {
			return
		}
		for _, name := range file.ProfileNames() {
			_, _ = file.Profile(name) // whatever it says, it must not panic
		}
		file.EachHosts(func(ProfileHosts) {})
		_ = fmt.Sprint(file.literalSecrets())
	})
}

// TestLoadIndexedSmallFileNoSnapshot: below the size at which a snapshot
// pays, LoadIndexed is Load and writes nothing.
func TestLoadIndexedSmallFileNoSnapshot(t *testing.T) {
	t.Parallel()
	dir, snaps := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(snapDoc), 0o600); err != nil {
		t.Fatal(err)
	}
	settle()
	for range 2 {
		f, err := loadIndexed(path, snaps, 64<<10)
		if err != nil || len(f.ProfileNames()) == 0 {
			t.Fatalf("loadIndexed = %v, %v", f, err)
		}
	}
	if entries, _ := os.ReadDir(snaps); len(entries) != 0 {
		t.Errorf("a snapshot of a %d-byte file was written: %v", len(snapDoc), entries)
	}
	if len(snapDoc) >= 64<<10 {
		t.Fatal("snapDoc is not small")
	}
}
