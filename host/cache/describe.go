package cache

import (
	"encoding/json"
	"errors"
)

// problemCorrupt is the Problem of a file whose content is unusable.
const problemCorrupt = "corrupt; the next write replaces it"

// describe reads the file at path and lists it, secrets left out.
func describe(kind Kind, path string) Listing {
	l := Listing{Kind: kind, Path: path}
	b, err := readFile(path)
	switch {
	case errors.Is(err, errCorrupt):
		l.Problem = problemCorrupt
	case err != nil:
		l.Problem = err.Error()
	case kind == KindAccess:
		describeAccess(&l, b)
	case kind == KindState:
		describeState(&l, b)
	case kind == KindNegative:
		describeNegative(&l, b)
	}
	return l
}

// describeAccess fills l from an access entry file.
func describeAccess(l *Listing, b []byte) {
	var e Entry
	if json.Unmarshal(b, &e) != nil || e.AccessToken == "" {
		l.Problem = problemCorrupt
		return
	}
	l.Profile, l.Account, l.Scopes, l.ExpiresAt = e.Profile, e.Account, e.Scopes, e.ExpiresAt
}

// describeState fills l from a state file's header; the payload stays
// unread.
func describeState(l *Listing, b []byte) {
	h, _, ok := splitState(b)
	parts, okKey := parseStateKey(h.Key)
	if !ok || !okKey {
		l.Problem = problemCorrupt
		return
	}
	l.Profile, l.Account, l.Sealed = parts.Profile, parts.Account, h.Sealed
}

// describeNegative fills l from a negative entry file.
func describeNegative(l *Listing, b []byte) {
	var f negativeFile
	if json.Unmarshal(b, &f) != nil {
		l.Problem = problemCorrupt
		return
	}
	parts, _ := parseAccessKey(f.Key)
	l.Account, l.Scopes, l.ExpiresAt, l.Detail = parts.User, parts.Scopes, f.Until, f.Kind
	if st, ok := parseStateKey(f.Key); ok {
		l.Profile, l.Account = st.Profile, st.Account
	}
}
