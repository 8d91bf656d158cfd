package config

import "testing"

func TestDurationValue(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      any
		want    string
		wantErr bool
	}{
		"duration":          {in: "45s", want: "45s"},
		"seconds as number": {in: int64(30), want: "30"},
		"seconds as text":   {in: "30", want: "30"},
		"zero":              {in: "0s", wantErr: true},
		"negative":          {in: int64(-1), wantErr: true},
		"word":              {in: "soon", wantErr: true},
		"float":             {in: 1.5, wantErr: true},
		"bool":              {in: true, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := wireValue("timeout", tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("wireValue(timeout, %v) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}
