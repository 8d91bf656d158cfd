package devicecode

import (
	"strings"
	"testing"
)

// FuzzParseAuthorization feeds arbitrary bodies to the device authorization
// parser: it must not panic, and its errors must not echo the body.
func FuzzParseAuthorization(f *testing.F) {
	f.Add([]byte(`{"device_code":"d","user_code":"u","verification_uri":"https://x","expires_in":900,"interval":5}`))
	f.Add([]byte(`{"device_code":"d","user_code":"u","verification_url":"https://x","expires_in":"900","interval":"5"}`))
	f.Add([]byte(`{"expires_in":1e400}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := parseAuthorization(body, "host")
		if err != nil {
			if len(body) > 8 && strings.Contains(err.Error(), string(body)) {
				t.Errorf("error %q echoes the body", err)
			}
			return
		}
		if a.interval <= 0 || a.expiresIn <= 0 || a.deviceCode.IsZero() {
			t.Errorf("accepted %q with interval %v, expiry %v", body, a.interval, a.expiresIn)
		}
	})
}
