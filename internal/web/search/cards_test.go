package search

import "testing"

func TestDistanceLabel_WritesKilometresWithADecimalCommaAndNearOnesInMetres(t *testing.T) {
	for km, want := range map[float64]string{4.5329: "à 4,5 km", 12: "à 12,0 km", 0.05: "à moins de 100 m", 0.1: "à 0,1 km"} {
		if got := distanceLabel(km); got != want {
			t.Errorf("distanceLabel(%v) = %q, want %q", km, got, want)
		}
	}
}
