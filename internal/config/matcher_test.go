package config

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// matchHostsSorted is MatchHosts as it was before HostMatcher: every
// pattern parsed, profiles in sorted order, the first strictly best one
// kept. HostMatcher, with its prefilter, must agree with it.
func matchHostsSorted(hosts map[string][]string, host, port, user, urlStr string) (name string, ok bool) {
	req := newRequest(host, port, user, urlStr)
	names := make([]string, 0, len(hosts))
	for pname := range hosts {
		names = append(names, pname)
	}
	sort.Strings(names)
	var best score
	for _, pname := range names {
		for _, pat := range parsePatterns(hosts[pname]) {
			s, matched := pat.match(req)
			if matched && (!ok || s.beats(best)) {
				name, best, ok = pname, s, true
			}
		}
	}
	return name, ok
}

// parsePatterns parses hosts patterns, skipping unusable entries.
func parsePatterns(list []string) []pattern {
	pats := make([]pattern, 0, len(list))
	for _, s := range list {
		if p, ok := parsePattern(s); ok {
			pats = append(pats, p)
		}
	}
	return pats
}

// matcherPatterns are hosts patterns of every kind, some unusable.
var matcherPatterns = []string{
	"dev.azure.com", "DEV.azure.com:8443", "alice@dev.azure.com", "*.azure.com", "*.AZURE.com:443",
	"https://dev.azure.com/org", "https://Bob@DEV.azure.com/org/", "https://dev.azure.com:443/", "http://dev.azure.com",
	"https://dev.%61zure.com/org", "https://dév.azure.com/", "dév.azure.com", "[::1]:5000", "::1", "https://[::1]:5000/x",
	"", "*.", "https://", " dev.azure.com ", "dev.azure.com.", "*.com", "com", "k.example", "example", "*.example",
	"https://h.example", "h.example:80", "tie.example.org", "TIE.example.org.", "a..b", "*..b", "@", "u@*.b",
}

// matcherRequests are requests to match them against.
var matcherRequests = [][4]string{
	{"dev.azure.com", "", "", ""}, {"DEV.Azure.COM", "", "alice", ""}, {"dev.azure.com", "8443", "", ""},
	{"foo.azure.com", "", "", ""}, {"", "", "", "https://dev.azure.com/org/repo"}, {"", "", "", "HTTPS://bob@DEV.AZURE.COM/org/x"},
	{"dev.azure.com", "", "", "https://dev.azure.com:443/org/"}, {"dev.azure.com", "", "", "http://dev.azure.com/x"},
	{"dév.azure.com", "", "", "https://dév.azure.com/x"}, {"[::1]:5000", "", "", ""}, {"::1", "", "", "https://[::1]:5000/x"},
	{"\u212a.example", "", "", ""}, {"h.example", "", "", "https://h.example/"}, {"tie.example.org.", "", "", ""},
	{"x.a..b", "", "", ""}, {"b.", "", "", ""}, {"", "", "", ""}, {"other.example", "", "", "https://dev.azure.com/org"},
}

func TestHostMatcherAgrees(t *testing.T) {
	t.Parallel()
	for i := range matcherPatterns {
		for j := range matcherPatterns {
			hosts := map[string][]string{"a": {matcherPatterns[i]}, "b": {matcherPatterns[j]}, "c": {matcherPatterns[j], matcherPatterns[i]}}
			for _, r := range matcherRequests {
				checkMatcher(t, hosts, r)
			}
		}
	}
}

// checkMatcher compares MatchHosts with matchHostsSorted.
func checkMatcher(t *testing.T, hosts map[string][]string, r [4]string) {
	t.Helper()
	got, gotOK := MatchHosts(hosts, r[0], r[1], r[2], r[3])
	want, wantOK := matchHostsSorted(hosts, r[0], r[1], r[2], r[3])
	if got != want || gotOK != wantOK {
		t.Fatalf("MatchHosts(%q, %q) = %q, %v; before HostMatcher %q, %v", hosts, r, got, gotOK, want, wantOK)
	}
}

func FuzzHostMatcher(f *testing.F) {
	for i, p := range matcherPatterns {
		r := matcherRequests[i%len(matcherRequests)]
		f.Add(p, matcherPatterns[(i+7)%len(matcherPatterns)], r[0], r[1], r[2], r[3])
	}
	f.Fuzz(func(t *testing.T, p1, p2, host, port, user, url string) {
		hosts := map[string][]string{"a": {p1}, "b": {p2}, "c": {p2, p1}, "d": strings.Split(p1, ",")}
		checkMatcher(t, hosts, [4]string{host, port, user, url})
	})
}

func TestHostMatcherSkipsOthers(t *testing.T) {
	hosts := make([]string, 1000)
	for i := range hosts {
		hosts[i] = fmt.Sprintf("h%d.example", i)
		if i%2 == 1 {
			hosts[i] = fmt.Sprintf("https://h%d.example/x", i)
		}
	}
	m := NewHostMatcher("git.bench.example", "", "", "https://git.bench.example/r")
	allocs := testing.AllocsPerRun(3, func() { m.Add("p", hosts) })
	if allocs > 0 {
		t.Errorf("Add allocates for patterns that do not match (%v allocations)", allocs)
	}
}
