package cache

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Accounts files: one per client at one authorization server (a scope,
// named by the caller, e.g. the StateKey of an account-less request).
const (
	prefixAccounts  = "ac-"
	extAccounts     = ".json"
	accountsKeyPrfx = "keyfob.accounts.v1:"
)

// KindAccount lists an account signed in for a client, with a profile
// bound to it (AccountListings).
const KindAccount Kind = "account"

// ErrSeveralAccounts marks a profile that is bound to no account while
// several are signed in for its client: keyfob does not guess which one
// it means. Errors matching it are *SeveralAccountsError values.
var ErrSeveralAccounts = errors.New("several accounts are signed in")

// SeveralAccountsError names the accounts a profile could mean.
type SeveralAccountsError struct {
	// Accounts are the signed-in accounts' display names.
	Accounts []string
}

// Error lists the accounts.
func (e *SeveralAccountsError) Error() string {
	return fmt.Sprintf("%d accounts are signed in for its client (%s)", len(e.Accounts), strings.Join(e.Accounts, ", "))
}

// Is makes errors.Is(err, ErrSeveralAccounts) true.
func (e *SeveralAccountsError) Is(target error) bool { return target == ErrSeveralAccounts }

// SignedIn is an account signed in for a client. It holds no secret.
type SignedIn struct {
	// ID identifies the account: the ID token's oid, else its sub, else
	// the provider's label for it.
	ID string `json:"id"`
	// Username is for people: the ID token's preferred_username, or "".
	Username string `json:"username,omitempty"`
	// At is when it signed in last.
	At time.Time `json:"signed_in_at,omitzero"`
}

// Name is the account as shown to people: "username (id)", or the id.
func (s SignedIn) Name() string {
	if s.Username == "" || s.Username == s.ID {
		return s.ID
	}
	return s.Username + " (" + s.ID + ")"
}

// Accounts is what keyfob knows of the accounts signed in for one client
// at one authorization server: which ones, and the profile bound to
// each. The zero value holds none.
type Accounts struct {
	// Client and Server describe the scope for listings.
	Client string `json:"client,omitempty"`
	Server string `json:"server,omitempty"`
	// SignedIn are the accounts, in the order they first signed in.
	SignedIn []SignedIn `json:"accounts,omitempty"`
	// Bindings maps a profile name to the ID of its account.
	Bindings map[string]string `json:"bindings,omitempty"`
}

// For returns the account ID profile uses: the one it is bound to, else
// the only one signed in, else "" when none is. With several signed in
// and no binding it returns a *SeveralAccountsError.
func (a *Accounts) For(profile string) (string, error) {
	if id := a.Bindings[profile]; id != "" {
		return id, nil
	}
	switch len(a.SignedIn) {
	case 0:
		return "", nil
	case 1:
		return a.SignedIn[0].ID, nil
	}
	names := make([]string, len(a.SignedIn))
	for i, s := range a.SignedIn {
		names[i] = s.Name()
	}
	return "", &SeveralAccountsError{Accounts: names}
}

// Bind records s as signed in (replacing an earlier record of it) and
// binds profile to it.
func (a *Accounts) Bind(profile string, s SignedIn) {
	a.Forget(s.ID)
	a.SignedIn = append(a.SignedIn, s)
	if a.Bindings == nil {
		a.Bindings = map[string]string{}
	}
	a.Bindings[profile] = s.ID
}

// Forget removes the account id from the signed-in accounts; profiles
// stay bound to it (their next sign-in rebinds them).
func (a *Accounts) Forget(id string) {
	a.SignedIn = slices.DeleteFunc(a.SignedIn, func(s SignedIn) bool { return s.ID == id })
}

// Unbind drops profile's binding.
func (a *Accounts) Unbind(profile string) { delete(a.Bindings, profile) }

// empty reports whether there is nothing to keep.
func (a *Accounts) empty() bool { return len(a.SignedIn) == 0 && len(a.Bindings) == 0 }

// GetAccounts reads the accounts of scope without taking a lock (writes
// are atomic renames). A missing file holds none; a corrupt or unsafe one
// is an error.
func (c *Cache) GetAccounts(scope string) (*Accounts, error) {
	return readAccounts(c.accountsPath(scope))
}

func readAccounts(path string) (*Accounts, error) {
	b, err := readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Accounts{}, nil
	}
	if err != nil {
		return nil, err
	}
	var a Accounts
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("read accounts %s: %w", path, errCorrupt)
	}
	return &a, nil
}

// UpdateAccounts changes the accounts of scope with change, under the
// scope's lock (bounded by ctx), and writes them back atomically (0600).
// A corrupt file is started afresh; accounts left empty remove the file.
func (c *Cache) UpdateAccounts(ctx context.Context, scope string, change func(*Accounts)) error {
	unlock, err := c.Lock(ctx, accountsKeyPrfx+scope, nil)
	if err != nil {
		return err
	}
	defer unlock()
	path := c.accountsPath(scope)
	a, err := readAccounts(path)
	if errors.Is(err, errCorrupt) {
		a, err = &Accounts{}, nil
	}
	if err != nil {
		return err
	}
	change(a)
	if a.empty() {
		return removeFile(path)
	}
	b, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("write accounts: %w", err)
	}
	return c.writeFile(path, b)
}

// AccountListings lists every signed-in account with each profile bound
// to it (an account no profile is bound to is listed once, without
// profile), and bindings to accounts no longer signed in. Detail names
// the client and server; no token is ever shown.
func (c *Cache) AccountListings() ([]Listing, error) {
	paths, err := filepath.Glob(filepath.Join(c.dir, prefixAccounts+"*"+extAccounts))
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	var out []Listing
	for _, path := range paths {
		out = append(out, accountListing(path)...)
	}
	return out, nil
}

// accountListing lists one accounts file.
func accountListing(path string) []Listing {
	a, err := readAccounts(path)
	if err != nil {
		return []Listing{{Kind: KindAccount, Path: path, Problem: err.Error()}}
	}
	detail := strings.TrimSpace("client " + a.Client + " at " + a.Server)
	var out []Listing
	for _, s := range a.SignedIn {
		n := len(out)
		for _, profile := range boundTo(a, s.ID) {
			out = append(out, Listing{Kind: KindAccount, Profile: profile, Account: s.Name(), Detail: detail, Path: path})
		}
		if len(out) == n {
			out = append(out, Listing{Kind: KindAccount, Account: s.Name(), Detail: detail, Path: path})
		}
	}
	for _, profile := range sortedKeys(a.Bindings) {
		if !slices.ContainsFunc(a.SignedIn, func(s SignedIn) bool { return s.ID == a.Bindings[profile] }) {
			out = append(out, Listing{Kind: KindAccount, Profile: profile, Account: a.Bindings[profile],
				Detail: detail + "; signed out", Path: path})
		}
	}
	return out
}

// boundTo returns the profiles bound to id, sorted.
func boundTo(a *Accounts, id string) []string {
	var out []string
	for _, profile := range sortedKeys(a.Bindings) {
		if a.Bindings[profile] == id {
			out = append(out, profile)
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ClearAccounts removes every accounts file: no profile is bound any
// more.
func (c *Cache) ClearAccounts() error {
	paths, err := filepath.Glob(filepath.Join(c.dir, prefixAccounts+"*"+extAccounts))
	if err != nil {
		return fmt.Errorf("clear accounts: %w", err)
	}
	var errs []error
	for _, path := range paths {
		if isName(filepath.Base(path), prefixAccounts, extAccounts) {
			errs = append(errs, removeFile(path))
		}
	}
	return errors.Join(errs...)
}

func (c *Cache) accountsPath(scope string) string {
	return c.path(prefixAccounts, accountsKeyPrfx+scope, extAccounts)
}

// AccountOf identifies the account a sign-in's ID token names: its oid,
// else its sub, with preferred_username for people. Without an ID token
// (or one naming nobody) label, the provider's name for the account,
// serves as both; the zero SignedIn when there is neither. The token is
// decoded without checking its signature: the result only separates
// accounts in the cache, it authorizes nothing.
func AccountOf(idToken, label string) SignedIn {
	c := idClaims(idToken)
	id := c.OID
	if id == "" {
		id = c.Sub
	}
	if id == "" {
		return SignedIn{ID: label, Username: label}
	}
	return SignedIn{ID: id, Username: c.PreferredUsername}
}

type accountClaims struct {
	OID               string `json:"oid"`
	Sub               string `json:"sub"`
	PreferredUsername string `json:"preferred_username"`
}

// idClaims decodes the payload of a compact JWS; zero claims when it is
// not one.
func idClaims(jwt string) accountClaims {
	var c accountClaims
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return c
	}
	payload, err := decodeSegment(parts[1])
	if err == nil {
		_ = json.Unmarshal(payload, &c) // a payload that is not JSON names nobody
	}
	return c
}

// decodeSegment decodes a JWS segment (base64url, padding tolerated).
func decodeSegment(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}
