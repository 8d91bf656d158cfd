package servers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// zitadelSecondUserID is the example user store's second user
// (storage.NewUserStore), whose user name does not depend on the issuer.
const zitadelSecondUserID = "id2"

// Subjects of the users of a zitadel server: what its tokens and ID
// tokens name them by (sub).
const (
	ZitadelUserSubject       = zitadelUserID
	ZitadelSecondUserSubject = zitadelSecondUserID
)

// ZitadelSecondUser is a second person who can sign in at any zitadel
// server: the example user store's "test-user2", for tests in which two
// accounts sign in for one client.
func ZitadelSecondUser() User { return User{Username: "test-user2", Password: zitadelPassword} }

// Subject asks z's userinfo endpoint whom the access token was issued
// to and returns its sub. The token must carry the openid scope.
func (z *Zitadel) Subject(ctx context.Context, token string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(z.Issuer, "/")+"/userinfo", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("userinfo: HTTP %d", resp.StatusCode)
	}
	var info struct {
		Sub string `json:"sub"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&info); err != nil {
		return "", fmt.Errorf("userinfo: %w", err)
	}
	return info.Sub, nil
}
