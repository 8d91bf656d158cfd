package discovery

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"time"
)

// prefix starts the name of every file of this package in the cache
// directory, apart from the cache's own at-, st-, ng-, lk- and tmp- files.
const prefix = "ds-"

// maxFile bounds a stored document file.
const maxFile = 2 << 20

// store keeps documents in dir; the zero store keeps nothing.
type store struct{ dir string }

// entry is a stored document.
type entry struct {
	URL     string          `json:"url"`
	Expires time.Time       `json:"expires"`
	Doc     json.RawMessage `json:"doc"`
}

// path is the file for the document at u.
func (s store) path(u string) string {
	sum := sha256.Sum256([]byte(u))
	return filepath.Join(s.dir, prefix+hex.EncodeToString(sum[:16])+".json")
}

// read returns the document at u when a stored one is fresh at now. A
// missing, expired, foreign or unreadable file is a miss.
func (s store) read(u string, now time.Time) ([]byte, bool) {
	if s.dir == "" {
		return nil, false
	}
	data, err := readRegular(s.path(u))
	if err != nil {
		return nil, false
	}
	var e entry
	if json.Unmarshal(data, &e) != nil || e.URL != u || !now.Before(e.Expires) || now.Add(MaxAge).Before(e.Expires) {
		return nil, false
	}
	return e.Doc, true
}

// readRegular reads path if it is a regular file of bounded size,
// without following a symlink or blocking on a FIFO.
func readRegular(path string) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxFile {
		return nil, os.ErrInvalid
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxFile))
}

// write keeps body for u until expires, atomically: a temporary file
// (0600, as os.CreateTemp makes it) renamed into place. Failures are
// ignored: the next miss fetches again.
func (s store) write(u string, body []byte, expires time.Time) {
	if s.dir == "" || !json.Valid(body) {
		return
	}
	data, err := json.Marshal(entry{URL: u, Expires: expires, Doc: body})
	if err != nil {
		return
	}
	f, err := os.CreateTemp(s.dir, prefix+"*.tmp")
	if err != nil {
		return
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr != nil || cerr != nil || os.Rename(f.Name(), s.path(u)) != nil {
		_ = os.Remove(f.Name())
	}
}
