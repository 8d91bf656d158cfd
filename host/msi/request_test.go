package msi

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRequest(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		query   string
		want    Request
		wantErr string // a substring of the 400's description; "" for success
	}{
		"azidentity 2019-08-01, system-assigned": {
			query: "api-version=2019-08-01&resource=https%3A%2F%2Fvault.azure.net",
			want:  Request{APIVersion: APIVersion2019, Resource: "https://vault.azure.net"},
		},
		"MSAL user-assigned client id": {
			query: "api-version=2019-08-01&client_id=cid&resource=api",
			want:  Request{APIVersion: APIVersion2019, Resource: "api", ClientID: "cid"},
		},
		"MSAL object id and resource id": {
			query: "api-version=2019-08-01&object_id=oid&mi_res_id=%2Fsubscriptions%2Fx&resource=api",
			want:  Request{APIVersion: APIVersion2019, Resource: "api", ObjectID: "oid", ResourceID: "/subscriptions/x"},
		},
		"App Service's principal_id spelling": {
			query: "api-version=2019-08-01&principal_id=pid&resource=api",
			want:  Request{APIVersion: APIVersion2019, Resource: "api", ObjectID: "pid"},
		},
		"2017-09-01 clientid, empty as MSAL's Azure ML source sends it": {
			query: "api-version=2017-09-01&clientid=&resource=api",
			want:  Request{APIVersion: APIVersion2017, Resource: "api"},
		},
		"2017-09-01 clientid": {
			query: "api-version=2017-09-01&clientid=c&resource=api",
			want:  Request{APIVersion: APIVersion2017, Resource: "api", ClientID: "c"},
		},
		"IMDS's version":        {query: "api-version=2018-02-01&resource=api", wantErr: "api-version"},
		"no version":            {query: "resource=api", wantErr: "api-version"},
		"no resource":           {query: "api-version=2019-08-01", wantErr: "resource is required"},
		"resource twice":        {query: "api-version=2019-08-01&resource=a&resource=b", wantErr: "given 2 times"},
		"bad escape":            {query: "api-version=2019-08-01&resource=%zz", wantErr: "does not parse"},
		"parameter too long":    {query: "api-version=2019-08-01&resource=" + strings.Repeat("a", maxParam+1), wantErr: "longer than"},
		"empty query":           {query: "", wantErr: "api-version"},
		"semicolon is no split": {query: "api-version=2019-08-01;resource=api", wantErr: "does not parse"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRequest(tc.query)
			if tc.wantErr != "" {
				var e *Error
				if !errors.As(err, &e) || e.Status != http.StatusBadRequest || !strings.Contains(e.Description, tc.wantErr) {
					t.Fatalf("ParseRequest(%q) error = %v, want a 400 naming %q", tc.query, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRequest(%q): %v", tc.query, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseRequest(%q) (-want +got):\n%s", tc.query, diff)
			}
		})
	}
}

// FuzzParseRequest checks that any query parses to a request with what
// every version needs, or to a 400.
func FuzzParseRequest(f *testing.F) {
	f.Add("api-version=2019-08-01&resource=https%3A%2F%2Fvault.azure.net")
	f.Add("api-version=2017-09-01&clientid=&resource=api")
	f.Add("api-version=2019-08-01&resource=a&resource=b")
	f.Fuzz(func(t *testing.T, query string) {
		r, err := ParseRequest(query)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status != http.StatusBadRequest {
				t.Fatalf("ParseRequest(%q) error %v is not a 400", query, err)
			}
			return
		}
		if r.Resource == "" || secretHeader(r.APIVersion) == "" {
			t.Fatalf("ParseRequest(%q) = %+v without a resource or a known version", query, r)
		}
		for _, v := range []string{r.Resource, r.ClientID, r.ObjectID, r.ResourceID} {
			if len(v) > maxParam {
				t.Fatalf("ParseRequest(%q) kept a value of %d bytes", query, len(v))
			}
		}
	})
}
