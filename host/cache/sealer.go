package cache

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// Sealer encrypts and authenticates plugin state at rest. Open must
// reject, with an error, anything Seal did not produce with the same key.
// Implementations must be safe for concurrent use.
type Sealer interface {
	// Seal returns an encrypted, authenticated form of plaintext.
	Seal(plaintext []byte) ([]byte, error)
	// Open returns the plaintext of sealed, or an error if it was not
	// sealed with this Sealer's key or was changed.
	Open(sealed []byte) ([]byte, error)
}

// sealVersion leads every AES-GCM sealed blob, so the format can change.
const sealVersion = 1

// errBadSeal is returned for a blob that does not open.
var errBadSeal = errors.New("sealed state does not open")

// AESGCMSealer returns a Sealer using AES-GCM with key, which must be 16,
// 24 or 32 bytes (32 recommended). Each Seal uses a fresh random 96-bit
// nonce; the output is a version byte, the nonce and the ciphertext with
// its tag. With a key of the wrong size every call returns an error.
func AESGCMSealer(key []byte) Sealer {
	block, err := aes.NewCipher(key)
	if err != nil {
		return &aesGCM{err: fmt.Errorf("aes-gcm sealer: %w", err)}
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return &aesGCM{err: fmt.Errorf("aes-gcm sealer: %w", err)}
	}
	return &aesGCM{aead: aead}
}

// aesGCM is the AESGCMSealer; err is set when the key was unusable.
type aesGCM struct {
	aead cipher.AEAD
	err  error
}

// sealAD binds sealed blobs to their use.
var sealAD = []byte("keyfob state v1")

// Seal implements Sealer.
func (s *aesGCM) Seal(plaintext []byte) ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	ns := s.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plaintext)+s.aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("aes-gcm sealer: %w", err)
	}
	return s.aead.Seal(out, out[1:], plaintext, sealAD), nil
}

// Open implements Sealer.
func (s *aesGCM) Open(sealed []byte) ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	ns := s.aead.NonceSize()
	if len(sealed) < 1+ns+s.aead.Overhead() || sealed[0] != sealVersion {
		return nil, errBadSeal
	}
	pt, err := s.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], sealAD)
	if err != nil {
		return nil, errBadSeal
	}
	return pt, nil
}
