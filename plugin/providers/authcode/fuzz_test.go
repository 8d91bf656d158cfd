package authcode

import "testing"

// FuzzPastedAddress feeds arbitrary pasted text through the paste-mode
// parser and the callback check: no panic, and no code is accepted
// without this sign-in's state.
func FuzzPastedAddress(f *testing.F) {
	f.Add("http://localhost/?code=c&state=s")
	f.Add("code=c&state=s#frag")
	f.Add("https://login.microsoftonline.com/common/oauth2/nativeclient?error=access_denied&state=s")
	f.Add("%zz?code=")
	f.Fuzz(func(t *testing.T, pasted string) {
		q, err := pastedQuery(pasted)
		if err != nil {
			return
		}
		code, err := judge(q, "the-state", "h")
		if err == nil && (code == "" || q.Get("state") != "the-state") {
			t.Errorf("accepted code %q from %q", code, pasted)
		}
	})
}
