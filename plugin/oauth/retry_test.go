package oauth

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// contains is strings.Contains, short for table checks.
func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		value string
		want  time.Duration
	}{
		"absent":          {value: "", want: 0},
		"seconds":         {value: "60", want: time.Minute},
		"spaces":          {value: " 5 ", want: 5 * time.Second},
		"zero":            {value: "0", want: 0},
		"negative":        {value: "-3", want: 0},
		"huge is capped":  {value: "99999999999999", want: 24 * time.Hour},
		"HTTP-date":       {value: testNow.Add(90 * time.Second).Format(http.TimeFormat), want: 90 * time.Second},
		"HTTP-date, past": {value: testNow.Add(-time.Hour).Format(http.TimeFormat), want: 0},
		"garbage":         {value: "soon", want: 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			if tc.value != "" {
				h.Set("Retry-After", tc.value)
			}
			if got := parseRetryAfter(h, testNow); got != tc.want {
				t.Errorf("parseRetryAfter(%q) = %v, want %v", tc.value, got, tc.want)
			}
		})
	}
}

func TestBackoffIsJitteredAndGrows(t *testing.T) {
	t.Parallel()
	c := &Client{Backoff: 100 * time.Millisecond}
	for n := 1; n <= 3; n++ {
		base := 100 * time.Millisecond << (n - 1)
		for range 50 {
			if d := c.backoff(n); d < base/2 || d >= base*3/2 {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v)", n, d, base/2, base*3/2)
			}
		}
	}
}

func TestMaxRetries(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		set, want int
	}{
		"zero is the default": {set: 0, want: DefaultMaxRetries},
		"negative is none":    {set: -1, want: 0},
		"explicit":            {set: 5, want: 5},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := (&Client{MaxRetries: tc.set}).maxRetries(); got != tc.want {
				t.Errorf("maxRetries() = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestFits(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
	defer cancel()
	tests := map[string]struct {
		ctx  context.Context
		wait time.Duration
		want bool
	}{
		"within the deadline":              {ctx: ctx, wait: time.Minute, want: true},
		"beyond the deadline":              {ctx: ctx, wait: 2 * time.Hour, want: false},
		"no deadline, short wait":          {ctx: context.Background(), wait: time.Minute, want: true},
		"no deadline, wait beyond the cap": {ctx: context.Background(), wait: time.Hour, want: false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := fits(tc.ctx, tc.wait); got != tc.want {
				t.Errorf("fits(%v) = %v, want %v", tc.wait, got, tc.want)
			}
		})
	}
}
