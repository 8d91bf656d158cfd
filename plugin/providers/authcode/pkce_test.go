package authcode

import (
	"regexp"
	"testing"

	"golang.org/x/oauth2"
)

func TestChallengeRFC7636Vector(t *testing.T) {
	t.Parallel()
	// RFC 7636 Appendix B.
	if got := challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Errorf("challenge = %q", got)
	}
}

func TestNewPKCE(t *testing.T) {
	t.Parallel()
	unreserved := regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`) // RFC 7636 §4.1
	seen := map[string]bool{}
	for range 100 {
		p := newPKCE()
		if !unreserved.MatchString(p.verifier) {
			t.Fatalf("verifier %q is not 43–128 unreserved characters", p.verifier)
		}
		if p.challenge() != oauth2.S256ChallengeFromVerifier(p.verifier) {
			t.Fatalf("challenge of %q differs from x/oauth2's", p.verifier)
		}
		if len(p.state) != 22 || seen[p.state] || seen[p.verifier] {
			t.Fatalf("state %q is not 128 fresh bits", p.state)
		}
		seen[p.state], seen[p.verifier] = true, true
	}
}
