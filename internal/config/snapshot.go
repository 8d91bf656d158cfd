package config

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"hash/fnv"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LoadIndexed is Load(path) — the same File, the same errors, the same
// refusals of a file others could change, checked on every call — that
// keeps, in the directory snapshotDir (the cache directory), a snapshot
// of what the validation of a plain file found: where each profile is
// written. A later call for a file whose identity (device, inode, size,
// modification and change times, mode and owner, as stat reports them)
// is exactly the one recorded reads the file and the snapshot and skips
// the scan of the whole file: only the profile asked for is read, and its
// keys checked, as after Load. Anything else — another identity, a
// snapshot that is missing, corrupt, another user's or writable by
// others, a file the plain path does not read — takes Load's path and
// writes the snapshot anew. An empty snapshotDir, and a platform without
// Unix file identities, is Load.
//
// The snapshot only saves work: a file written since it was taken has
// another change time, and is validated again. A file changed less than
// snapshotSettle ago gets no snapshot, since a change within the clock's
// granularity could keep its change time.
func LoadIndexed(path, snapshotDir string) (*File, error) {
	return loadIndexed(path, snapshotDir, snapshotMinSize)
}

// loadIndexed is LoadIndexed using snapshots for files of at least
// minSize bytes; Load when snapshotDir is "".
func loadIndexed(path, snapshotDir string, minSize int) (*File, error) {
	if path == "" {
		return &File{}, nil
	}
	text, fi, err := readTextInfo(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{Path: path}, nil
	}
	if err != nil {
		return nil, &readError{err: err}
	}
	f, err := parseIndexed(path, snapshotDir, text, fi, minSize)
	f.sawMode(fi)
	return f, err
}

// parseIndexed is loadIndexed's parse of the text of the file at path,
// which fi (nil when unknown) describes.
func parseIndexed(path, snapshotDir, text string, fi fs.FileInfo, minSize int) (*File, error) {
	id, ok := identityOf(fi)
	if snapshotDir == "" || !ok || len(text) < minSize {
		return parseText(path, text, nil)
	}
	snap := snapshotPath(snapshotDir, path)
	if f, ok := readSnapshot(snap, path, text, id); ok {
		return f, nil
	}
	f, err := parseText(path, text, nil)
	if err == nil && f.plain != nil && settled(id, time.Now()) { // plainParse read it
		writeSnapshot(snapshotDir, snap, encodeSnapshot(path, id, f))
	}
	return f, err
}

// snapshotMinSize is the size below which LoadIndexed does not use a
// snapshot: checking a small file (a few profiles: microseconds) costs
// less than opening and reading its snapshot.
var snapshotMinSize = 64 << 10

// snapshotSettle is how long ago a file must have last changed for
// LoadIndexed to take a snapshot of it: longer than the granularity of
// any file system's change times.
var snapshotSettle = 2 * time.Second

// settled reports whether the file of identity id last changed (and was
// last modified) at least snapshotSettle before now.
func settled(id fileIdentity, now time.Time) bool {
	limit := now.Add(-snapshotSettle).UnixNano()
	return id.ctime <= limit && id.mtime <= limit
}

// fileIdentity is what stat says of a file that any write changes.
type fileIdentity struct {
	dev, ino            uint64
	size, mtime, ctime  int64  // mtime and ctime in nanoseconds
	mode, uid, gid, pad uint32 // pad is 0
}

// snapshotPath is the snapshot of the configuration file path in dir:
// named by a hash of the path (which the snapshot holds too).
func snapshotPath(dir, path string) string {
	h := fnv.New64a()
	h.Write([]byte(path))
	return filepath.Join(dir, "cf-"+strconv.FormatUint(h.Sum64(), 16)+".idx")
}

// A snapshot is snapshotMagic, then in little-endian order: the file's
// identity (dev, ino, size, mtime, ctime: 8 bytes each; mode, uid, gid,
// 0: 4 bytes each), its path, default_profile (a flag, the string, its
// line and column), the literal secrets found (a flag, their count, the
// profile and key), the number of profiles, each profile's record
// (recordSize bytes: see putProfile), the profiles' indexes in order of
// their names, and a CRC-32C of all that precedes it. A string is its
// length (4 bytes) and its bytes.
const (
	snapshotMagic = "keyfobi1"
	recordSize    = 8 * 4
	presetBit     = 1 << 31
)

// crcTable is the Castagnoli table, which hardware computes. It is made
// on first use: making it costs a cache hit that uses no snapshot
// ≈ 0.3 ms at start-up.
var crcTable = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// encodeSnapshot is the snapshot of f, read by plainParse from the file
// at path of identity id; nil when it cannot be written.
func encodeSnapshot(path string, id fileIdentity, f *File) []byte {
	x := f.plain
	if id.mode&0o044 != 0 {
		f.rememberLiteralSecrets() // the warning needs them: find them once
	}
	b := make([]byte, 0, 256+len(path)+x.count()*(recordSize+4))
	b = append(b, snapshotMagic...)
	b = putIdentity(b, id)
	b = putString(b, path)
	b = putDefault(b, f)
	b = putSecrets(b, x.secrets)
	b = binary.LittleEndian.AppendUint32(b, uint32(x.count()))
	for i := range x.count() {
		var ok bool
		if b, ok = putProfile(b, x.text, x.profile(i)); !ok {
			return nil
		}
	}
	for _, i := range sortedProfiles(x) {
		b = binary.LittleEndian.AppendUint32(b, uint32(i))
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crcTable()))
}

// putIdentity appends id.
func putIdentity(b []byte, id fileIdentity) []byte {
	for _, v := range []uint64{id.dev, id.ino, uint64(id.size), uint64(id.mtime), uint64(id.ctime)} {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	for _, v := range []uint32{id.mode, id.uid, id.gid, id.pad} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// putString appends s.
func putString(b []byte, s string) []byte {
	return append(binary.LittleEndian.AppendUint32(b, uint32(len(s))), s...)
}

// putDefault appends f's default_profile and where it is written.
func putDefault(b []byte, f *File) []byte {
	if f.DefaultSource == (Source{}) {
		return append(b, 0)
	}
	b = putString(append(b, 1), f.DefaultProfile)
	b = binary.LittleEndian.AppendUint32(b, uint32(f.DefaultSource.Line))
	return binary.LittleEndian.AppendUint32(b, uint32(f.DefaultSource.Column))
}

// putSecrets appends the literal secrets found, if known.
func putSecrets(b []byte, s *secretsFound) []byte {
	if s == nil {
		return append(b, 0)
	}
	b = binary.LittleEndian.AppendUint32(append(b, 1), uint32(s.n))
	return putString(putString(b, s.profile), s.key)
}

// putProfile appends p's record: the offset of its name in text, and the
// name's length (a name plainParse reads is part of the text), then at,
// line, body, end, hosts, and keys with presetBit when p.preset. It
// reports false for a name that is not where it should be.
func putProfile(b []byte, text string, p plainProfile) ([]byte, bool) {
	off := int(p.at)
	if text[off] == '"' || text[off] == '\'' {
		off++
	}
	if off+len(p.name) > len(text) || text[off:off+len(p.name)] != p.name {
		return b, false
	}
	keys := uint32(p.keys)
	if p.preset {
		keys |= presetBit
	}
	for _, v := range []uint32{uint32(off), uint32(len(p.name)), uint32(p.at), uint32(p.line),
		uint32(p.body), uint32(p.end), uint32(p.hosts), keys} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b, true
}

// sortedProfiles is the indexes of x's profiles in order of their names.
func sortedProfiles(x *plainIndex) []int32 {
	order := make([]int32, x.count())
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int { return strings.Compare(x.name(int(i)), x.name(int(j))) })
	return order
}

// decodeSnapshot is the File a snapshot b describes for the file at path
// of identity id and content text; false when b is not such a snapshot,
// is corrupt, or describes another file.
func decodeSnapshot(b []byte, path, text string, id fileIdentity) (*File, bool) {
	if len(b) < len(snapshotMagic)+4 || string(b[:len(snapshotMagic)]) != snapshotMagic {
		return nil, false
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, crcTable()) != sum {
		return nil, false
	}
	d := &decoder{b: body[len(snapshotMagic):]}
	if d.identity() != id || d.string() != path {
		return nil, false
	}
	f := &File{Path: path, plain: &plainIndex{text: text}}
	d.defaults(f)
	f.plain.secrets = d.secrets()
	if !d.profiles(f.plain) || d.bad || len(d.b) != 0 {
		return nil, false
	}
	return f, true
}

// decoder reads a snapshot; bad records reading past its end.
type decoder struct {
	b   []byte
	bad bool
}

// take consumes n bytes, nil (and bad) when fewer are left.
func (d *decoder) take(n int) []byte {
	if n < 0 || n > len(d.b) {
		d.bad, d.b = true, nil
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

// u8 reads a byte (0 when bad).
func (d *decoder) u8() byte {
	if v := d.take(1); v != nil {
		return v[0]
	}
	return 0
}

// u32 reads a 4-byte integer (0 when bad).
func (d *decoder) u32() uint32 {
	if v := d.take(4); v != nil {
		return binary.LittleEndian.Uint32(v)
	}
	return 0
}

// u64 reads an 8-byte integer (0 when bad).
func (d *decoder) u64() uint64 {
	if v := d.take(8); v != nil {
		return binary.LittleEndian.Uint64(v)
	}
	return 0
}

// string reads a string ("" when bad).
func (d *decoder) string() string { return string(d.take(int(d.u32()))) }

// identity reads a fileIdentity.
func (d *decoder) identity() fileIdentity {
	id := fileIdentity{dev: d.u64(), ino: d.u64()}
	id.size, id.mtime, id.ctime = int64(d.u64()), int64(d.u64()), int64(d.u64())
	id.mode, id.uid, id.gid, id.pad = d.u32(), d.u32(), d.u32(), d.u32()
	return id
}

// defaults reads default_profile into f.
func (d *decoder) defaults(f *File) {
	if d.u8() == 0 {
		return
	}
	f.DefaultProfile = d.string()
	f.DefaultSource = Source{File: f.Path, Line: int(d.u32()), Column: int(d.u32())}
}

// secrets reads the literal secrets found, nil when not recorded.
func (d *decoder) secrets() *secretsFound {
	if d.u8() == 0 {
		return nil
	}
	s := &secretsFound{n: int(d.u32())}
	s.profile, s.key = d.string(), d.string()
	return s
}

// profiles reads the profiles' records and order into x, checking that
// they fit x.text, follow one another and are sorted by name. The index
// keeps the records and decodes a profile when asked for it.
func (d *decoder) profiles(x *plainIndex) bool {
	n := int(d.u32())
	if d.bad || n > len(d.b)/(recordSize+4) {
		return false
	}
	x.records, x.order = d.take(n*recordSize), d.take(n*4)
	var p plainProfile
	for i := range n {
		if !decodeProfile(&p, x.records[i*recordSize:], x.text, p.end) {
			return false
		}
	}
	prev := ""
	for k := range n {
		i := x.sortedAt(k)
		if i >= n || k > 0 && x.name(i) <= prev {
			return false // out of range, out of order or twice
		}
		prev = x.name(i)
	}
	return true
}

// decodeProfile reads the record r into p, checking that its offsets lie
// in text, in order, after prev.
func decodeProfile(p *plainProfile, r []byte, text string, prev int32) bool {
	var v [8]uint32
	for k := range v {
		v[k] = binary.LittleEndian.Uint32(r[k*4:])
	}
	off, n, keys := int64(v[0]), int64(v[1]), v[7]
	*p = plainProfile{at: int32(v[2]), line: int32(v[3]), body: int32(v[4]), end: int32(v[5]),
		hosts: int32(v[6]), keys: int32(keys &^ presetBit), preset: keys&presetBit != 0}
	if off+n > int64(len(text)) || int64(v[5]) > int64(len(text)) || v[2] > v[4] || v[4] > v[5] ||
		p.at < prev || int64(p.at) > off || off > int64(p.body) || p.line < 1 ||
		p.hosts != -1 && (p.hosts < p.body || p.hosts >= p.end) {
		return false
	}
	p.name = text[off : off+n]
	return true
}
