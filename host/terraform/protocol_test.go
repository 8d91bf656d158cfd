package terraform

import (
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/cache"
)

func TestEntryMinValidity(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		e    *cache.Entry
		want time.Duration
	}{
		"one-hour token":    {&cache.Entry{IssuedAt: now, ExpiresAt: now.Add(time.Hour)}, 30 * time.Minute},
		"five-minute token": {&cache.Entry{IssuedAt: now, ExpiresAt: now.Add(5 * time.Minute)}, 150 * time.Second},
		"unknown lifetime":  {&cache.Entry{ExpiresAt: now.Add(5 * time.Minute)}, LongValidity},
		"no entry":          {nil, LongValidity},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := EntryMinValidity(tc.e); got != tc.want {
				t.Errorf("EntryMinValidity = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRequest(t *testing.T) {
	t.Parallel()
	r := Request(" App.Terraform.IO:8443 ")
	if r.Host != "app.terraform.io:8443" || r.URL != "https://app.terraform.io:8443/" || r.TransportNote("p") != "" {
		t.Errorf("Request = %+v", r)
	}
}
