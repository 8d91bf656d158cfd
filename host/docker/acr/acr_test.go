package acr

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/plugin/errdefs"
)

// fakeACR is a fake of the documented /oauth2/exchange API: it accepts
// grant_type=access_token for service, and the access token "good".
func fakeACR(t *testing.T, service, refresh string) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodPost || r.URL.Path != "/oauth2/exchange" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "access_token" || r.PostForm.Get("service") != service {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"errors":[{"code":"BAD_REQUEST","message":"bad form"}]}`))
			return
		}
		switch r.PostForm.Get("access_token") {
		case "good":
			_, _ = w.Write([]byte(`{"refresh_token":"` + refresh + `"}`))
		case "busy":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`))
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestExchange(t *testing.T) {
	t.Parallel()
	exp := time.Date(2026, 11, 22, 13, 0, 0, 0, time.UTC)
	enc := base64.RawURLEncoding.EncodeToString
	refresh := enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(`{"exp":`+strconv.FormatInt(exp.Unix(), 10)+`}`)) + ".sig"
	srv := fakeACR(t, "myacr.azurecr.io", refresh)
	endpoint := srv.URL + "/oauth2/exchange"
	tests := map[string]struct {
		token    string
		want     RefreshToken
		wantKind error
	}{
		"exchanged":    {token: "good", want: RefreshToken{Token: refresh, ExpiresAt: exp}},
		"unauthorized": {token: "expired", wantKind: errdefs.ErrRefused},
		"unavailable":  {token: "busy", wantKind: errdefs.ErrUnavailable},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Exchange(context.Background(), srv.Client(), endpoint, "myacr.azurecr.io", "contoso", tc.token)
			if tc.wantKind != nil {
				if !errors.Is(err, tc.wantKind) {
					t.Fatalf("err = %v, want %v", err, tc.wantKind)
				}
				if strings.Contains(err.Error(), tc.token) {
					t.Errorf("error %q shows the access token", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Exchange = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestExchangeUnreachable(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	endpoint := srv.URL + "/oauth2/exchange"
	client := srv.Client()
	srv.Close()
	if _, err := Exchange(context.Background(), client, endpoint, "r", "", "good"); !errors.Is(err, errdefs.ErrUnavailable) {
		t.Errorf("err = %v, want ErrUnavailable", err)
	}
}

func TestEndpoint(t *testing.T) {
	t.Parallel()
	if got := Endpoint("myacr.azurecr.io"); got != "https://myacr.azurecr.io/oauth2/exchange" {
		t.Errorf("Endpoint = %q", got)
	}
}
