package keyring

import "testing"

func TestParseMode(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      string
		want    Mode
		wantErr bool
	}{
		"empty":   {"", Auto, false},
		"auto":    {"auto", Auto, false},
		"off":     {"off", Off, false},
		"require": {" Require\n", Require, false},
		"unknown": {"maybe", Auto, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseMode(tc.in)
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("ParseMode(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
			if err == nil {
				if back, _ := ParseMode(got.String()); back != got {
					t.Errorf("ParseMode(%v.String()) = %v", got, back)
				}
			}
		})
	}
}
