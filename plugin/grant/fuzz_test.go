package grant

import "testing"

// FuzzDecodeState feeds DecodeState arbitrary stored state: another
// provider's, an older format's, a corrupt file's. It never fails: it
// gives a version-1 state or the zero State, and a state it accepts
// survives Encode and DecodeState unchanged.
func FuzzDecodeState(f *testing.F) {
	for _, s := range []string{
		`{"v":1,"rt":"rt-value","acct":"alice@contoso.com"}`,
		`{"v":1}`,
		`{"v":2,"rt":"future"}`,
		`{"v":1,"rt":123}`,
		`{"v":1.0,"rt":"x","rt":"y"}`,
		`{"V":1,"RT":"case"}`,
		`null`,
		`[]`,
		``,
		"\x00\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := DecodeState(b)
		if s == (State{}) {
			return
		}
		if s.V != 1 {
			t.Fatalf("DecodeState gave version %d", s.V)
		}
		enc, err := s.Encode()
		if err != nil {
			t.Fatalf("Encode of a decoded state: %v", err)
		}
		if again := DecodeState(enc); again != s {
			t.Fatalf("round trip changed the state: %+v, then %+v", s, again)
		}
	})
}
