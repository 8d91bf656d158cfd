//go:build unix && !darwin

package keyring

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/keyfob/keyfob/host/cache"
	zkeyring "github.com/zalando/go-keyring"
	ss "github.com/zalando/go-keyring/secret_service"
)

// TestSecretServiceReal runs Sealer against a real Secret Service
// (gnome-keyring-daemon over the D-Bus session bus) when
// KEYFOB_TEST_SECRET_SERVICE=1, and must then pass: a missing service is a
// failure, not a skip. .ci/keyring-test.sh sets it up. It uses an account
// of its own and deletes it afterwards, so it never touches a real
// keyfob key.
func TestSecretServiceReal(t *testing.T) {
	if os.Getenv("KEYFOB_TEST_SECRET_SERVICE") != "1" {
		t.Skip("set KEYFOB_TEST_SECRET_SERVICE=1 with a Secret Service running (.ci/keyring-test.sh)")
	}
	account := fmt.Sprintf("cache-key-test-%d", time.Now().UnixNano())
	deleted := false // by the locked subtest, before it locks
	t.Cleanup(func() {
		if deleted {
			return
		}
		if err := zkeyring.Delete(Service, account); err != nil {
			t.Errorf("delete the test key: %v", err)
		}
	})
	s1, st1 := sealer(t.Context(), Options{Mode: Require}, osStore{}, account)
	if s1 == nil || !st1.Created {
		t.Fatalf("first Sealer = %v, %s; want a new key in the Secret Service", s1, st1)
	}
	t.Logf("first call, key created: %s", st1.Elapsed)
	s2, st2 := sealer(t.Context(), Options{Mode: Require}, osStore{}, account)
	if s2 == nil || st2.Created {
		t.Fatalf("second Sealer = %v, %s; want the stored key", s2, st2)
	}
	t.Logf("second call, key read: %s", st2.Elapsed)
	if err := roundTrip(t, s1, s2); err != nil {
		t.Fatalf("second sealer does not open the first's: %v", err)
	}
	key := readFromSecretService(t, account)
	if err := roundTrip(t, s2, cache.AESGCMSealer(key)); err != nil {
		t.Errorf("the key in the Secret Service is not the sealer's: %v", err)
	}
	checkStateIsolation(t, s1, s2)
	measure(t, account)
	if os.Getenv("KEYFOB_TEST_SECRET_SERVICE_LOCK") == "1" {
		deleted = true
		t.Run("locked", func(t *testing.T) { testLocked(t, account) })
	}
}

// testLocked locks the login collection — only where it is a throwaway,
// as in .ci/keyring-test.sh, since unlocking it again needs its password
// — and checks that Sealer then falls back within its budget. Without a
// display the unlock prompt fails at once; on a desktop it would wait
// for the user, and the budget ends the wait.
func testLocked(t *testing.T, account string) {
	if err := zkeyring.Delete(Service, account); err != nil {
		t.Fatalf("delete the test key before locking: %v", err)
	}
	svc, err := ss.NewSecretService()
	if err != nil {
		t.Fatal(err)
	}
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err = svc.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{svc.GetLoginCollection().Path()}).
		Store(&locked, &prompt)
	if err != nil || len(locked) != 1 {
		t.Fatalf("lock the login collection: %v, %v", locked, err)
	}
	const budget = 2 * time.Second
	start := time.Now()
	s, st := sealer(t.Context(), Options{Timeout: budget}, osStore{}, account)
	elapsed := time.Since(start)
	if s != nil || st.Err == nil {
		t.Fatalf("Sealer with the collection locked = %v, %s; want a fallback", s, st)
	}
	if elapsed > budget+time.Second {
		t.Errorf("fallback took %s, budget %s", elapsed, budget)
	}
	t.Logf("%s (%s)", st, elapsed)
}

// readFromSecretService reads the key with go-keyring's D-Bus client
// directly, proving it is in the service and not in a mock.
func readFromSecretService(t *testing.T, account string) []byte {
	t.Helper()
	svc, err := ss.NewSecretService()
	if err != nil {
		t.Fatal(err)
	}
	items, err := svc.SearchItems(svc.GetLoginCollection(), map[string]string{"service": Service, "username": account})
	if err != nil || len(items) != 1 {
		t.Fatalf("SearchItems = %v, %v; want one item", items, err)
	}
	session, err := svc.OpenSession()
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close(session)
	secret, err := svc.GetSecret(items[0], session.Path())
	if err != nil {
		t.Fatal(err)
	}
	key, err := base64.StdEncoding.DecodeString(string(secret.Value))
	if err != nil || len(key) != KeySize {
		t.Fatalf("stored value is not a base64 %d-byte key: %v", KeySize, err)
	}
	return key
}

// checkStateIsolation stores state through the cache with one sealer and
// reads it with the other (same key) and with a different key.
func checkStateIsolation(t *testing.T, s1, s2 cache.Sealer) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cache")
	open := func(s cache.Sealer) *cache.Cache {
		c, err := cache.Open(dir, cache.Options{Sealer: s})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if err := open(s1).PutState("k", []byte("refresh-secret")); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := open(s2).GetState("k"); !ok || err != nil || string(got) != "refresh-secret" {
		t.Errorf("GetState with the same key = %q, %v, %v", got, ok, err)
	}
	other := cache.AESGCMSealer(make([]byte, KeySize))
	if got, ok, err := open(other).GetState("k"); ok || err != nil {
		t.Errorf("GetState with another key = %q, %v, %v; want a miss", got, ok, err)
	}
}

// measure logs what a Sealer call costs once the key exists: what the
// engine pays on every slow-path token request.
func measure(t *testing.T, account string) {
	t.Helper()
	const n = 20
	var total, worst time.Duration
	for range n {
		start := time.Now()
		if s, st := sealer(t.Context(), Options{Mode: Require}, osStore{}, account); s == nil {
			t.Fatalf("Sealer: %s", st)
		}
		d := time.Since(start)
		total, worst = total+d, max(worst, d)
	}
	t.Logf("Sealer with an existing key, %d calls: mean %s, worst %s", n, total/n, worst)
}
