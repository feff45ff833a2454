package dev

import (
	"fmt"
	"testing"
)

func TestLinkify_KeepsSentencePunctuationOutOfURLs(t *testing.T) {
	got := linkify("Voir https://a.example/x?y=1. Puis (https://b.example/z).")
	want := []textSegment{{Text: "Voir "}, {URL: "https://a.example/x?y=1"}, {Text: ". Puis ("}, {URL: "https://b.example/z"}, {Text: ")."}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("linkify = %v; want %v", got, want)
	}
}
