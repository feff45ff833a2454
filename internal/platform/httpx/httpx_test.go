package httpx

import (
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
