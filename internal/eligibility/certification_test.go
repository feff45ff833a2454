package eligibility

import (
	"testing"
	"time"
)

func TestCertificationBadge(t *testing.T) {
	at := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	d := func(s string) *time.Time { v := day(s); return &v }
	today, expires := day("2025-02-01"), day("2025-06-01")
	certified := func(from, until *time.Time) Selected[Criterion] {
		return Selected[Criterion]{CertifiedAt: &at, CertifiedFrom: from, CertifiedUntil: until}
	}
	tests := []struct {
		name   string
		kind   Kind
		s      Selected[Criterion]
		hiring *time.Time
		want   Badge
	}{
		{"not certifiable", ASS, certified(d("2024-01-01"), nil), nil, Badge{}},
		{"no answer yet", RSA, Selected[Criterion]{}, nil, Badge{State: BadgeInProgress}},
		{"identity not found", AAH, Selected[Criterion]{CertifiedAt: &at}, nil, Badge{State: BadgeError}},
		{"not a beneficiary", "PI", Selected[Criterion]{CertifiedAt: &at, NotBeneficiary: true}, nil, Badge{State: BadgeNotCertified}},
		{"open-ended, today inside", RSA, certified(d("2024-01-01"), nil), nil, Badge{State: BadgeCertified}},
		{"ends the day the diagnosis expires", "TH", certified(d("2024-01-01"), d("2025-06-01")), nil, Badge{State: BadgeCertified}},
		{"ends the day before the diagnosis expires", "TH", certified(d("2024-01-01"), d("2025-05-31")), nil,
			Badge{State: BadgeTemporary, Until: day("2025-05-31")}},
		{"starts tomorrow", RSA, certified(d("2025-02-02"), nil), nil, Badge{State: BadgeFuture}},
		{"starts today", RSA, certified(d("2025-02-01"), nil), nil, Badge{State: BadgeCertified}},
		{"ended yesterday", "TH", certified(d("2024-01-01"), d("2025-01-31")), nil, Badge{State: BadgeExpired}},
		{"ends today", "TH", certified(d("2024-01-01"), d("2025-02-01")), nil, Badge{State: BadgeTemporary, Until: day("2025-02-01")}},
		{"scenario 34: hired after the start", AAH, certified(d("2024-06-01"), nil), d("2025-03-01"), Badge{State: BadgeCertified}},
		{"hired on the start", AAH, certified(d("2025-03-01"), nil), d("2025-03-01"), Badge{State: BadgeCertified}},
		{"hired the day before the start", AAH, certified(d("2025-03-02"), nil), d("2025-03-01"), Badge{State: BadgeNotCertified}},
		{"hired the day after the end", "TH", certified(d("2024-01-01"), d("2025-02-28")), d("2025-03-01"), Badge{State: BadgeNotCertified}},
		{"scenario 34: not a beneficiary, hired", AAH, Selected[Criterion]{CertifiedAt: &at, NotBeneficiary: true}, d("2025-03-01"),
			Badge{State: BadgeNotCertified}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CertificationBadge(tt.kind, tt.s, tt.hiring, expires, today); got != tt.want {
				t.Errorf("badge = %+v (%s), want %+v (%s)", got, got.Label(), tt.want, tt.want.Label())
			}
		})
	}
	if got := (Badge{State: BadgeTemporary, Until: day("2025-05-31")}).Label(); got != "Certifié jusqu'au 31/05/2025" {
		t.Errorf("label %q", got)
	}
}
