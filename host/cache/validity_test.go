package cache

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestMarginAndHostExpiry(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		issued, expires time.Time
		margin          time.Duration
		host            time.Time
	}{
		"L = 60 s":         {fixed, fixed.Add(time.Minute), 6 * time.Second, fixed.Add(54 * time.Second)},
		"L = 1 h":          {fixed, fixed.Add(time.Hour), 5 * time.Minute, fixed.Add(55 * time.Minute)},
		"L = 50 min":       {fixed, fixed.Add(50 * time.Minute), 5 * time.Minute, fixed.Add(45 * time.Minute)},
		"L = 10 min":       {fixed, fixed.Add(10 * time.Minute), time.Minute, fixed.Add(9 * time.Minute)},
		"L = 24 h":         {fixed, fixed.Add(24 * time.Hour), 5 * time.Minute, fixed.Add(24*time.Hour - 5*time.Minute)},
		"L unknown":        {time.Time{}, fixed.Add(time.Hour), 5 * time.Minute, fixed.Add(55 * time.Minute)},
		"L = 0":            {fixed, fixed, 0, fixed},
		"L negative":       {fixed, fixed.Add(-time.Minute), 0, fixed.Add(-time.Minute)},
		"no expiry":        {fixed, time.Time{}, 0, time.Time{}},
		"no expiry, no L":  {time.Time{}, time.Time{}, 5 * time.Minute, time.Time{}},
		"L = 1 s (M=0.1s)": {fixed, fixed.Add(time.Second), 100 * time.Millisecond, fixed.Add(900 * time.Millisecond)},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := &Entry{AccessToken: "t", IssuedAt: tt.issued, ExpiresAt: tt.expires}
			got := struct {
				M time.Duration
				H time.Time
			}{Margin(e), HostExpiry(e)}
			want := struct {
				M time.Duration
				H time.Time
			}{tt.margin, tt.host}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestValid(t *testing.T) {
	t.Parallel()
	hour := &Entry{AccessToken: "t", IssuedAt: fixed, ExpiresAt: fixed.Add(time.Hour)}     // E − M = fixed+55m
	minute := &Entry{AccessToken: "t", IssuedAt: fixed, ExpiresAt: fixed.Add(time.Minute)} // E − M = fixed+54s
	tests := map[string]struct {
		e    *Entry
		now  time.Time
		v    time.Duration
		want bool
	}{
		"fresh, default V":           {hour, fixed, DefaultMinValidity, true},
		"exactly V left":             {hour, fixed.Add(54 * time.Minute), time.Minute, true},
		"1 ns short of V":            {hour, fixed.Add(54*time.Minute + 1), time.Minute, false},
		"V = 0 at host expiry":       {hour, fixed.Add(55 * time.Minute), 0, true},
		"V = 0 past host expiry":     {hour, fixed.Add(55*time.Minute + 1), 0, false},
		"inside margin, before E":    {hour, fixed.Add(58 * time.Minute), 0, false},
		"after E":                    {hour, fixed.Add(2 * time.Hour), 0, false},
		"terraform V = 30 min":       {hour, fixed.Add(25 * time.Minute), 30 * time.Minute, true},
		"terraform V = 30 min, late": {hour, fixed.Add(26 * time.Minute), 30 * time.Minute, false},
		"L = 60 s, V = 54 s":         {minute, fixed, 54 * time.Second, true},
		"L = 60 s, default V":        {minute, fixed, DefaultMinValidity, false},
		"L = 60 s, V = 0 at 54 s":    {minute, fixed.Add(54 * time.Second), 0, true},
		"L = 60 s, V = 0 at 55 s":    {minute, fixed.Add(55 * time.Second), 0, false},
		"no expiry":                  {&Entry{AccessToken: "t", IssuedAt: fixed}, fixed, 0, false},
		"no token":                   {&Entry{IssuedAt: fixed, ExpiresAt: fixed.Add(time.Hour)}, fixed, 0, false},
		"nil":                        {nil, fixed, 0, false},
		"unknown L uses 5 min":       {&Entry{AccessToken: "t", ExpiresAt: fixed.Add(6 * time.Minute)}, fixed, time.Minute, true},
		"unknown L, 1 ns short":      {&Entry{AccessToken: "t", ExpiresAt: fixed.Add(6*time.Minute - 1)}, fixed, time.Minute, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := Valid(tt.e, tt.now, tt.v); got != tt.want {
				t.Errorf("Valid = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNeedsRefresh(t *testing.T) {
	t.Parallel()
	soft := &Entry{AccessToken: "t", IssuedAt: fixed, ExpiresAt: fixed.Add(time.Hour), RefreshAt: fixed.Add(30 * time.Minute)}
	tests := map[string]struct {
		e    *Entry
		now  time.Time
		want bool
	}{
		"before RefreshAt":  {soft, fixed.Add(29 * time.Minute), false},
		"at RefreshAt":      {soft, fixed.Add(30 * time.Minute), true},
		"after RefreshAt":   {soft, fixed.Add(31 * time.Minute), true},
		"no RefreshAt":      {&Entry{AccessToken: "t", ExpiresAt: fixed.Add(time.Hour)}, fixed.Add(59 * time.Minute), false},
		"nil":               {nil, fixed, false},
		"still valid, soft": {soft, fixed.Add(40 * time.Minute), true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := NeedsRefresh(tt.e, tt.now); got != tt.want {
				t.Errorf("NeedsRefresh = %v, want %v", got, tt.want)
			}
		})
	}
	// The soft deadline does not make the token invalid.
	if !Valid(soft, fixed.Add(40*time.Minute), DefaultMinValidity) {
		t.Error("a token past RefreshAt but before E − M − V is not Valid")
	}
}
