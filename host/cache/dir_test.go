package cache

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDir(t *testing.T) {
	t.Parallel()
	root := filepath.FromSlash("/r")
	if runtime.GOOS == "windows" {
		root = `C:\r`
	}
	abs := func(p ...string) string { return filepath.Join(append([]string{root}, p...)...) }
	tests := map[string]struct {
		env     map[string]string
		want    string
		wantErr bool
	}{
		"KEYFOB_CACHE_DIR wins": {env: map[string]string{"KEYFOB_CACHE_DIR": abs("k"), "XDG_CACHE_HOME": abs("x"), "HOME": abs("h")}, want: abs("k")},
		"XDG_CACHE_HOME":        {env: map[string]string{"XDG_CACHE_HOME": abs("x"), "HOME": abs("h")}, want: abs("x", "keyfob")},
		"relative XDG ignored":  {env: map[string]string{"XDG_CACHE_HOME": "rel", "HOME": abs("h")}, want: abs("h", ".cache", "keyfob")},
		"HOME":                  {env: map[string]string{"HOME": abs("h")}, want: abs("h", ".cache", "keyfob")},
		"nothing":               {env: map[string]string{}, wantErr: true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Dir(func(k string) string { return tt.env[k] })
			if (err != nil) != tt.wantErr {
				t.Fatalf("Dir error = %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Dir (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDirRelativeCacheDirMadeAbsolute(t *testing.T) {
	t.Parallel()
	got, err := Dir(func(k string) string { return map[string]string{"KEYFOB_CACHE_DIR": "rel"}[k] })
	if err != nil || !filepath.IsAbs(got) || filepath.Base(got) != "rel" {
		t.Errorf("Dir = %q, %v; want an absolute path ending in rel", got, err)
	}
}
