package config

import (
	"fmt"
	"strings"
)

// didYouMean returns ` (did you mean "K"?)` for the candidate closest to
// name, or "" when none is close enough to be a likely typo. Case is
// ignored; a candidate that extends name ("tenant" → "tenant_id") counts
// when no candidate is within a few edits.
func didYouMean(name string, candidates []string) string {
	if c := closest(name, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

// closest returns the best suggestion for name among candidates, or "".
func closest(name string, candidates []string) string {
	norm := strings.ToLower(name)
	best, bestDist := "", maxTypo(name)+1
	for _, c := range candidates {
		if d := editDistance(norm, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" || len(norm) < 3 {
		return best
	}
	for _, c := range candidates {
		if strings.HasPrefix(strings.ToLower(c), norm) {
			return c
		}
	}
	return ""
}

// maxTypo is how many edits still count as a typo of a name this long.
func maxTypo(name string) int {
	return max(2, len(name)/4)
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
