package cache

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStateRoundTrip(t *testing.T) {
	t.Parallel()
	tests := map[string]Options{
		"plain":  {},
		"sealed": {Sealer: AESGCMSealer(testKey(1))},
	}
	for name, opts := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCache(t, opts)
			want := []byte("rt-0.AAAA\nwith a newline\x00and binary")
			if err := c.PutState("k", want); err != nil {
				t.Fatal(err)
			}
			got, ok, err := c.GetState("k")
			if err != nil || !ok {
				t.Fatalf("GetState = %v, %v", ok, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("state (-want +got):\n%s", diff)
			}
			for range 2 {
				if err := c.DeleteState("k"); err != nil {
					t.Fatal(err)
				}
			}
			if _, ok, err := c.GetState("k"); ok || err != nil {
				t.Errorf("GetState after delete = %v, %v", ok, err)
			}
		})
	}
}

func TestStateSealing(t *testing.T) {
	t.Parallel()
	a, b := AESGCMSealer(testKey(1)), AESGCMSealer(testKey(2))
	tests := map[string]struct {
		write, read Sealer
		want        bool
	}{
		"same key":            {a, a, true},
		"same key material":   {a, AESGCMSealer(testKey(1)), true},
		"wrong key":           {a, b, false},
		"sealed, no sealer":   {a, nil, false},
		"plain, sealer set":   {nil, a, false},
		"plain, plain reader": {nil, nil, true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newCache(t, Options{Sealer: tt.write})
			if err := w.PutState("k", []byte("refresh-secret")); err != nil {
				t.Fatal(err)
			}
			r, err := Open(w.Path(), Options{Sealer: tt.read})
			if err != nil {
				t.Fatal(err)
			}
			got, ok, err := r.GetState("k")
			if err != nil || ok != tt.want {
				t.Fatalf("GetState = %q, %v, %v; want ok %v and no error", got, ok, err, tt.want)
			}
		})
	}
}

func TestSealedStateHidesValue(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{Sealer: AESGCMSealer(testKey(1))})
	if err := c.PutState("k", []byte("refresh-secret")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(c.path(prefixState, "k", extState))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("refresh-secret")) {
		t.Error("sealed state file contains the state in cleartext")
	}
}

// A sealed state file copied under another key does not open there.
func TestSealedStateBoundToKey(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{Sealer: AESGCMSealer(testKey(1))})
	if err := c.PutState("a", []byte("for a")); err != nil {
		t.Fatal(err)
	}
	if err := c.PutState("b", []byte("for b")); err != nil {
		t.Fatal(err)
	}
	_, payloadA, _ := splitState(mustRead(t, c.path(prefixState, "a", extState)))
	hdrB, _, _ := bytes.Cut(mustRead(t, c.path(prefixState, "b", extState)), []byte{'\n'})
	forged := append(append(hdrB, '\n'), payloadA...)
	if err := os.WriteFile(c.path(prefixState, "b", extState), forged, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := c.GetState("b"); ok || err != nil {
		t.Errorf("GetState(b) with a's sealed payload = %q, %v, %v; want a miss", got, ok, err)
	}
}

func TestCorruptStateIsMiss(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"empty":          "",
		"no header line": "just bytes",
		"bad header":     "{not json\nstate",
		"wrong version":  `{"v":2,"key":"k"}` + "\nstate",
		"wrong key":      `{"v":1,"key":"other"}` + "\nstate",
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCache(t, Options{})
			if err := os.WriteFile(c.path(prefixState, "k", extState), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if got, ok, err := c.GetState("k"); ok || err != nil {
				t.Errorf("GetState = %q, %v, %v; want a miss", got, ok, err)
			}
			if err := c.PutState("k", []byte("new")); err != nil {
				t.Fatal(err)
			}
			if got, ok, _ := c.GetState("k"); !ok || string(got) != "new" {
				t.Errorf("after PutState: %q, %v", got, ok)
			}
		})
	}
}

func TestPutStateSealerError(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{Sealer: AESGCMSealer([]byte("bad size"))})
	if err := c.PutState("k", []byte("x")); err == nil {
		t.Error("PutState with a broken sealer succeeded")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// With MigratePlain, plaintext state written before a Sealer was
// available is read and sealed in place; sealed state is left alone.
func TestStateMigratePlain(t *testing.T) {
	t.Parallel()
	a := AESGCMSealer(testKey(1))
	tests := map[string]struct {
		write, read Options
		wantOK      bool
		wantSealed  bool // the file afterwards
	}{
		"plain, migrating":           {Options{}, Options{Sealer: a, MigratePlain: true}, true, true},
		"plain, not migrating":       {Options{}, Options{Sealer: a}, false, false},
		"plain, migrate, no sealer":  {Options{}, Options{MigratePlain: true}, true, false},
		"sealed, migrating":          {Options{Sealer: a}, Options{Sealer: a, MigratePlain: true}, true, true},
		"wrong key, migrating":       {Options{Sealer: AESGCMSealer(testKey(2))}, Options{Sealer: a, MigratePlain: true}, false, true},
		"sealed, migrate, no sealer": {Options{Sealer: a}, Options{MigratePlain: true}, false, true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newCache(t, tt.write)
			if err := w.PutState("k", []byte("refresh-secret")); err != nil {
				t.Fatal(err)
			}
			r, err := Open(w.Path(), tt.read)
			if err != nil {
				t.Fatal(err)
			}
			got, ok, err := r.GetState("k")
			if err != nil || ok != tt.wantOK || (ok && string(got) != "refresh-secret") {
				t.Fatalf("GetState = %q, %v, %v; want ok %v", got, ok, err, tt.wantOK)
			}
			b := mustRead(t, r.path(prefixState, "k", extState))
			if h, _, _ := splitState(b); h.Sealed != tt.wantSealed {
				t.Errorf("file sealed = %v, want %v", h.Sealed, tt.wantSealed)
			}
			if tt.wantSealed && bytes.Contains(b, []byte("refresh-secret")) {
				t.Error("sealed state file holds the state in cleartext")
			}
			if got, ok, _ := r.GetState("k"); ok != tt.wantOK || (ok && string(got) != "refresh-secret") {
				t.Errorf("second GetState = %q, %v", got, ok)
			}
		})
	}
}
