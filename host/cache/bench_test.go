package cache

import "testing"

// BenchmarkGet measures a cache hit: open, check, read and decode an entry.
func BenchmarkGet(b *testing.B) {
	c := newCache(b, Options{})
	key := AccessKey(KeyParts{Authority: "https://login.example/contoso", ClientID: "c", Scopes: []string{"api/.default"}})
	must(b, c.Put(key, fullEntry()))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := c.Get(key); !ok {
			b.Fatal("miss")
		}
	}
}

// BenchmarkPut measures an atomic, fsynced write of an entry.
func BenchmarkPut(b *testing.B) {
	c := newCache(b, Options{})
	key := AccessKey(KeyParts{ClientID: "c", Scopes: []string{"api/.default"}})
	e := fullEntry()
	b.ReportAllocs()
	for b.Loop() {
		must(b, c.Put(key, e))
	}
}

// BenchmarkAccessKey measures building a key.
func BenchmarkAccessKey(b *testing.B) {
	p := KeyParts{Plugin: "keyfob", Provider: "device_code", Authority: "https://login.example/contoso",
		ClientID: "c", User: "alice", Scopes: []string{"b", "a", "c"}}
	b.ReportAllocs()
	for b.Loop() {
		_ = AccessKey(p)
	}
}
