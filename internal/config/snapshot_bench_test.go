//go:build unix

package config

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkLoadIndexed compares, for ten thousand profiles, Load with
// LoadIndexed reading its snapshot, each followed by building one profile.
func BenchmarkLoadIndexed(b *testing.B) {
	path := filepath.Join(b.TempDir(), "config.toml")
	if err := os.WriteFile(path, manyProfiles(10000), 0o600); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	time.Sleep(testSettle + 10*time.Millisecond)
	for name, load := range map[string]func(string) (*File, error){"Load": Load, "LoadIndexed": indexed(dir)} {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				f, err := load(path)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := f.Profile("p5000"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
