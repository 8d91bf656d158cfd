package assertion

import (
	"crypto/elliptic"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
	"software.sslmate.com/src/go-pkcs12"
)

// signed describes what a Signer puts in an assertion's header.
type signed struct {
	Alg    string
	Header []string // header names besides alg and typ
}

func TestFromConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		return writeFileAt(t, path, data)
	}
	rsaLeaf := newCert(t, rsaKeyA(), certSpec{cn: "rsa.example"})
	rsaPEM := write("rsa.pem", join(certPEM(rsaLeaf), pkcs1PEM(rsaKeyA())))
	rsaPFX := write("rsa.pfx", pfx(t, pkcs12.Modern, rsaKeyA(), "pfx-pw", rsaLeaf))
	pwFile := write("pw.txt", []byte("pfx-pw\n"))
	ec := newECKey(t, elliptic.P256())
	ecPEM := write("ec.pem", join(certPEM(newCert(t, ec, certSpec{cn: "ec.example"})), sec1PEM(t, ec)))
	expired := write("expired.pem", join(certPEM(newCert(t, ec, certSpec{
		cn: "expired.example", notBefore: testNow.Add(-48 * time.Hour), notAfter: testNow.Add(-time.Hour),
	})), sec1PEM(t, ec)))
	future := write("future.pem", join(certPEM(newCert(t, ec, certSpec{
		cn: "future.example", notBefore: testNow.Add(time.Hour), notAfter: testNow.Add(48 * time.Hour),
	})), sec1PEM(t, ec)))
	mismatch := write("mismatch.pem", join(certPEM(rsaLeaf), pkcs1PEM(rsaKeyB())))
	const authority = "https://login.microsoftonline.com/contoso.onmicrosoft.com"

	tests := map[string]struct {
		cfg     plugin.Config
		want    signed
		wantErr string
	}{
		"RSA with an authority is PS256": {
			cfg:  plugin.Config{"client_certificate": rsaPEM, "authority": authority},
			want: signed{Alg: "PS256", Header: []string{"x5t#S256"}},
		},
		"RSA without an authority is RS256": {
			cfg:  plugin.Config{"client_certificate": rsaPEM, "token_url": testTokenURL},
			want: signed{Alg: "RS256", Header: []string{"x5t", "x5t#S256"}},
		},
		"explicit alg wins over the authority, any case": {
			cfg:  plugin.Config{"client_certificate": rsaPEM, "authority": authority, "client_assertion_alg": "rs256", "client_assertion_header": "X5T#S256"},
			want: signed{Alg: "RS256", Header: []string{"x5t#S256"}},
		},
		"EC is ES256, with an authority too": {
			cfg:  plugin.Config{"client_certificate": ecPEM, "authority": authority},
			want: signed{Alg: "ES256", Header: []string{"x5t#S256"}},
		},
		"PFX, password from a file reference": {
			cfg:  plugin.Config{"client_certificate": rsaPFX, "client_certificate_password": "file:" + pwFile, "client_assertion_alg": "PS256"},
			want: signed{Alg: "PS256", Header: []string{"x5t#S256"}},
		},
		"kid, x5c": {
			cfg: plugin.Config{"client_certificate": ecPEM, "client_assertion_header": "kid", "client_assertion_kid": "k1",
				"client_assertion_x5c": "true"},
			want: signed{Alg: "ES256", Header: []string{"kid", "x5c"}},
		},
		"x5c false": {
			cfg:  plugin.Config{"client_certificate": ecPEM, "client_assertion_x5c": "false"},
			want: signed{Alg: "ES256", Header: []string{"x5t#S256"}},
		},
		"no certificate": {
			cfg: plugin.Config{}, wantErr: "key client_certificate is required",
		},
		"expired": {
			cfg:     plugin.Config{"client_certificate": expired},
			wantErr: "key client_certificate: " + expired + `: certificate "CN=expired.example" expired on 2026-11-21 11:00:00 UTC`,
		},
		"not yet valid": {
			cfg:     plugin.Config{"client_certificate": future},
			wantErr: "key client_certificate: " + future + `: certificate "CN=future.example" is not valid before 2026-11-21 13:00:00 UTC`,
		},
		"key of another certificate": {
			cfg:     plugin.Config{"client_certificate": mismatch},
			wantErr: "key client_certificate: " + mismatch + ": the private key does not belong to the certificate \"CN=rsa.example\"",
		},
		"EC key with PS256": {
			cfg:     plugin.Config{"client_certificate": ecPEM, "client_assertion_alg": "PS256"},
			wantErr: "key client_certificate: " + ecPEM + ": client_assertion_alg PS256 does not suit an EC P-256 key (want ES256)",
		},
		"PFX without its password": {
			cfg:     plugin.Config{"client_certificate": rsaPFX},
			wantErr: "key client_certificate: " + rsaPFX + ": the PFX file is password-protected; set client_certificate_password",
		},
		"PFX password variable unset": {
			cfg:     plugin.Config{"client_certificate": rsaPFX, "client_certificate_password": "env:KEYFOB_ASSERTION_TEST_UNSET"},
			wantErr: "key client_certificate_password: environment variable KEYFOB_ASSERTION_TEST_UNSET is not set",
		},
		"bad x5c": {
			cfg:     plugin.Config{"client_certificate": ecPEM, "client_assertion_x5c": "yes please"},
			wantErr: `key client_assertion_x5c: "yes please" is not true or false`,
		},
		"unknown header": {
			cfg:     plugin.Config{"client_certificate": ecPEM, "client_assertion_header": "x5u"},
			wantErr: `unknown header "x5u"`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, err := FromConfig(tc.cfg, func() time.Time { return testNow })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || plugin.KindOf(err) != plugin.KindConfig {
					t.Fatalf("FromConfig() error = %v, want a config error containing %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "pfx-pw") {
					t.Errorf("the error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("FromConfig() = %v", err)
			}
			a, err := s.Sign(testClientID, testTokenURL)
			if err != nil {
				t.Fatal(err)
			}
			header, _ := parseJWT(t, a.Reveal(), s.Credential().Key.Public(), s.Alg())
			got := signed{Alg: s.Alg()}
			for k := range header {
				if k != "alg" && k != "typ" {
					got.Header = append(got.Header, k)
				}
			}
			sort.Strings(got.Header)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("FromConfig() (-want +got):\n%s", diff)
			}
		})
	}
}
