package search

import (
	"net/http"
	"net/url"
	"strings"

	"emplois/internal/geo"
	"emplois/internal/search"
)

// prescriberCardData is what prescriber_card.html shows.
type prescriberCardData struct {
	Name, KindLabel, Description, Address, Phone, PhoneLink, Email, Website string
	SearchURL                                                               string
}

// prescriberCard is the public card of a habilitated prescriber organization (the ones the
// prescriber search lists); any other uid is a 404.
func (h *Handler) prescriberCard(w http.ResponseWriter, r *http.Request) {
	p, err := h.search.PrescriberCard(r.Context(), r.PathValue("uid"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := prescriberCardData{Name: p.Name, KindLabel: p.Kind.Label(), Description: p.Description, Address: p.Address.OneLine(),
		Phone: p.Phone, PhoneLink: strings.ReplaceAll(p.Phone, " ", ""), Email: p.Email, Website: p.Website}
	if geo.ValidInseeCode(p.CommuneCode) {
		d.SearchURL = prescribersPath + "?" + url.Values{search.FieldCity: {p.CommuneCode}}.Encode()
	}
	h.tpl.Render(w, r, http.StatusOK, "prescriber_card.html", d.Name+" - Fiche du prescripteur", d)
}
