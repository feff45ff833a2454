package page

import "emplois/internal/savedsearch"

// SavedLink is one saved search as the "saved_search_list" partial shows it.
type SavedLink struct {
	Name, URL, DeleteURL string
}

// SavedLinks are the links of a viewer's saved searches.
func SavedLinks(list []savedsearch.SavedSearch) []SavedLink {
	out := make([]SavedLink, 0, len(list))
	for _, ss := range list {
		out = append(out, SavedLink{Name: ss.Name, URL: ss.URL(), DeleteURL: savedsearch.DeletePath(ss.UID)})
	}
	return out
}
