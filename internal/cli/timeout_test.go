package cli

import (
	"errors"
	"testing"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/providers/all"
)

func TestCallTimeout(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		flag    time.Duration
		login   bool
		values  map[string]string
		want    time.Duration
		wantErr bool
	}{
		"non-interactive default":           {values: map[string]string{"provider": "client_credentials"}, want: defaultTimeout},
		"flag wins":                         {flag: 5 * time.Second, values: map[string]string{"provider": "client_credentials", "timeout": "1m"}, want: 5 * time.Second},
		"profile key":                       {values: map[string]string{"provider": "password", "timeout": "45s"}, want: 45 * time.Second},
		"profile key in seconds":            {values: map[string]string{"provider": "password", "timeout": "12"}, want: 12 * time.Second},
		"device_code: sign-in bound":        {values: map[string]string{"provider": "device_code"}, want: maxSigninWait},
		"authorization_code: sign-in bound": {values: map[string]string{"provider": "authorization_code"}, want: maxSigninWait},
		"login: sign-in bound":              {login: true, values: map[string]string{"provider": "client_credentials"}, want: maxSigninWait},
		"external plugin: default":          {values: map[string]string{"provider": "device_code", "plugin": "acme"}, want: defaultTimeout},
		"interactive with --timeout":        {flag: time.Minute, values: map[string]string{"provider": "device_code"}, want: time.Minute},
		"interactive with the profile key":  {values: map[string]string{"provider": "device_code", "timeout": "10m"}, want: 10 * time.Minute},
		"bad profile key":                   {values: map[string]string{"provider": "password", "timeout": "soon"}, wantErr: true},
		"zero profile key":                  {values: map[string]string{"provider": "password", "timeout": "0s"}, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := &commonFlags{timeout: tc.flag}
			c.interact.login = tc.login
			got, err := callTimeout(c, &profile{Name: "p", Values: tc.values})
			if tc.wantErr {
				if !errors.Is(err, plugin.ErrConfig) {
					t.Fatalf("error %v, want a config error", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("callTimeout() = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

// TestInteractiveFromRegistry checks that the default bound follows each
// built-in provider's ProviderInfo.Interactive, declared once.
func TestInteractiveFromRegistry(t *testing.T) {
	t.Parallel()
	for _, info := range all.Registry().Providers() {
		got, err := callTimeout(&commonFlags{}, &profile{Name: "p", Values: map[string]string{"provider": info.Name}})
		if want := map[bool]time.Duration{true: maxSigninWait, false: defaultTimeout}[info.Interactive]; err != nil || got != want {
			t.Errorf("provider %s (interactive %v): callTimeout() = %v, %v; want %v", info.Name, info.Interactive, got, err, want)
		}
	}
}
