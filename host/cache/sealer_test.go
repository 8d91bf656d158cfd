package cache

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func TestAESGCMSealerRoundTrip(t *testing.T) {
	t.Parallel()
	tests := map[string][]byte{
		"text":   []byte("refresh-token-value"),
		"binary": {0, 1, 2, 255},
		"large":  bytes.Repeat([]byte("x"), 100_000),
	}
	for name, plain := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, size := range []int{16, 24, 32} {
				s := AESGCMSealer(testKey(7)[:size])
				sealed, err := s.Seal(plain)
				if err != nil {
					t.Fatal(err)
				}
				if bytes.Contains(sealed, plain) {
					t.Errorf("AES-%d sealed blob contains the plaintext", size*8)
				}
				got, err := s.Open(sealed)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(plain, got); diff != "" {
					t.Errorf("AES-%d (-want +got):\n%s", size*8, diff)
				}
			}
		})
	}
}

func TestAESGCMSealerRejects(t *testing.T) {
	t.Parallel()
	s := AESGCMSealer(testKey(1))
	sealed, err := s.Seal([]byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(sealed)
		b[i] ^= 1
		return b
	}
	tests := map[string]struct {
		sealer Sealer
		blob   []byte
	}{
		"wrong key":        {AESGCMSealer(testKey(2)), sealed},
		"tampered version": {s, flip(0)},
		"tampered nonce":   {s, flip(3)},
		"tampered body":    {s, flip(len(sealed) - 1)},
		"truncated":        {s, sealed[:10]},
		"empty":            {s, nil},
		"bad key size":     {AESGCMSealer([]byte("short")), sealed},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got, err := tt.sealer.Open(tt.blob); err == nil {
				t.Errorf("Open = %q, want an error", got)
			}
		})
	}
}

func TestAESGCMSealerFreshNonce(t *testing.T) {
	t.Parallel()
	s := AESGCMSealer(testKey(1))
	a, _ := s.Seal([]byte("same"))
	b, _ := s.Seal([]byte("same"))
	if bytes.Equal(a, b) {
		t.Error("two seals of the same plaintext are equal")
	}
	if _, err := AESGCMSealer(nil).Seal([]byte("x")); err == nil {
		t.Error("Seal with a nil key succeeded")
	}
}
