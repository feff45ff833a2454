package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestClientIP_TrustsForwardedForOnlyFromTrustedProxies(t *testing.T) {
	c, err := NewClientIP([]string{"10.0.0.0/8", "192.0.2.7"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, remote, xff, want string
	}{
		{"direct client, header ignored", "203.0.113.5:4000", "1.2.3.4", "203.0.113.5"},
		{"through the load balancer", "10.1.2.3:4000", "198.51.100.9", "198.51.100.9"},
		{"spoofed left-most hop is skipped", "10.1.2.3:4000", "1.2.3.4, 198.51.100.9", "198.51.100.9"},
		{"two trusted hops", "10.1.2.3:4000", "198.51.100.9, 192.0.2.7", "198.51.100.9"},
		{"garbage header falls back to the peer", "10.1.2.3:4000", "not-an-ip", "10.1.2.3"},
		{"no header", "10.1.2.3:4000", "", "10.1.2.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if got := c.Of(r); got != tt.want {
				t.Fatalf("Of() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewClientIP_RejectsBadCIDR(t *testing.T) {
	if _, err := NewClientIP([]string{"10.0.0.0/99"}); err == nil {
		t.Fatal("expected an error")
	}
}

func TestNoStore_MarksResponsesPrivateUnlessTheHandlerChoseItsCaching(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"page written", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<h1>Tableau de bord</h1>")) }, PrivateNoStore},
		{"redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/", http.StatusSeeOther) }, PrivateNoStore},
		{"empty answer", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }, PrivateNoStore},
		{"static asset", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			w.Write([]byte("body{}"))
		}, "public, max-age=31536000, immutable"},
	} {
		rec := httptest.NewRecorder()
		tc.handler(NoStore(rec), httptest.NewRequest(http.MethodGet, "/", nil))
		if got := rec.Header().Get("Cache-Control"); got != tc.want {
			t.Errorf("%s: Cache-Control %q, want %q", tc.name, got, tc.want)
		}
	}
}
