package web

import "strings"

// escaped is text as html/template writes it in a page (the search tests still here use it).
func escaped(s string) string { return strings.ReplaceAll(s, "'", "&#39;") }
