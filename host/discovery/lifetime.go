package discovery

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Lifetime is how long a document answered with headers h at now may be
// kept (RFC 9111): 0 for Cache-Control no-store or no-cache, else its
// max-age, else Expires minus now (Date is not trusted: the local clock
// decides), else MaxAge — never more than MaxAge, never negative.
func Lifetime(h http.Header, now time.Time) time.Duration {
	cc := directives(h.Values("Cache-Control"))
	if _, ok := cc["no-store"]; ok {
		return 0
	}
	if _, ok := cc["no-cache"]; ok {
		return 0
	}
	if v, ok := cc["max-age"]; ok {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs <= 0 {
			return 0
		}
		return min(time.Duration(min(secs, int64(MaxAge/time.Second)))*time.Second, MaxAge)
	}
	if e := h.Get("Expires"); e != "" {
		t, err := http.ParseTime(e)
		if err != nil {
			return 0 // RFC 9111 §5.3: an invalid date means already expired
		}
		return max(0, min(t.Sub(now), MaxAge))
	}
	return MaxAge
}

// directives parses Cache-Control header values into lowercase names and
// their (unquoted) arguments.
func directives(values []string) map[string]string {
	out := map[string]string{}
	for _, v := range values {
		for _, d := range strings.Split(v, ",") {
			name, arg, _ := strings.Cut(strings.TrimSpace(d), "=")
			out[strings.ToLower(name)] = strings.Trim(arg, `"`)
		}
	}
	return out
}

// hostOf is raw's host, or raw when it does not parse.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}
