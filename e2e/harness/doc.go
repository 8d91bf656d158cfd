// Package harness runs the keyfob executable as a real process for
// end-to-end tests.
//
// [BuildKeyfob] builds github.com/keyfob/keyfob/cmd/keyfob once per test
// binary, from the product's own module (so the binary under test has the
// product's dependency versions, not this test module's). [Run] and
// [RunParallel] start it with an environment built from scratch: a private
// HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME and KEYFOB_CACHE_DIR, the caller's
// PATH, and whatever the test adds. Nothing else of the developer's
// environment (their keyfob config, cache, AZURE_* variables) leaks in.
//
// A test binary that uses BuildKeyfob should remove the build with
//
//	func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
package harness
