package jwtexp

import (
	"encoding/base64"
	"testing"
	"time"
)

func jwt(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(payload)) + ".sig"
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		token  string
		want   time.Time
		wantOK bool
	}{
		"exp":          {jwt(`{"exp":1795344900,"sub":"x"}`), time.Unix(1795344900, 0).UTC(), true},
		"float exp":    {jwt(`{"exp":1795344900.5}`), time.Unix(1795344900, 0).UTC(), true},
		"no exp":       {jwt(`{"sub":"x"}`), time.Time{}, false},
		"string exp":   {jwt(`{"exp":"soon"}`), time.Time{}, false},
		"opaque token": {"abc123", time.Time{}, false},
		"bad base64":   {"a.!!!.c", time.Time{}, false},
		"negative":     {jwt(`{"exp":-1}`), time.Time{}, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := Expiry(tc.token)
			if ok != tc.wantOK || !got.Equal(tc.want) {
				t.Errorf("Expiry = %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}
