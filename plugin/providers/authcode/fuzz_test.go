package authcode

import "testing"

// FuzzPastedAddress feeds arbitrary pasted text through the paste-mode
// parser and the callback check: no panic, and no code is accepted
// without this sign-in's state and, from a server that promises it, the
// server's iss (RFC 9207).
func FuzzPastedAddress(f *testing.F) {
	f.Add("http://localhost/?code=c&state=s")
	f.Add("code=c&state=s#frag")
	f.Add("https://login.microsoftonline.com/common/oauth2/nativeclient?error=access_denied&state=s")
	f.Add("%zz?code=")
	f.Add("http://localhost/?code=c&state=the-state&iss=https%3A%2F%2Fh")
	f.Add("http://localhost/?code=c&state=the-state&iss=https%3A%2F%2Fevil&iss=https%3A%2F%2Fh")
	f.Fuzz(func(t *testing.T, pasted string) {
		q, err := pastedQuery(pasted)
		if err != nil {
			return
		}
		code, err := judge(q, expect{state: "the-state", host: "h", issuer: "https://h", issRequired: true})
		if err == nil && (code == "" || q.Get("state") != "the-state" || q.Get("iss") != "https://h") {
			t.Errorf("accepted code %q from %q", code, pasted)
		}
	})
}
