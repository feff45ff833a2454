package francetravail

import (
	"context"
	"net/http"
	"strings"
	"time"

	"emplois/internal/platform/searchtext"
)

// The two calls of the PASS IAE notification (asp.md §6.3–6.4).
const (
	SearchIndividualPath = "/rechercheindividucertifie/v1/rechercheIndividuCertifie"
	UpdatePASSPath       = "/maj-pass-iae/v1/passIAE/miseAjour"
)

// Exit codes of France Travail read by the notification.
const (
	IndividualFound = "S001" // « Individu trouvé »
	PASSUpdated     = "S000" // « Suivi délégué installé »
)

// Name lengths France Travail accepts in a search.
const (
	maxLastName  = 25
	maxFirstName = 13
)

// IndividualQuery is the identity « rechercher individu certifié » looks a person up by.
type IndividualQuery struct {
	Birthdate *time.Time
	NIR       string // 15 characters; its key is not sent
	LastName  string // the usage name, as the account has it
	FirstName string
}

// individualSearch is the body of the call, every value a string.
type individualSearch struct {
	Birthdate string `json:"dateNaissance"`
	NIR       string `json:"nirCertifie"`
	LastName  string `json:"nomNaissance"`
	FirstName string `json:"prenom"`
}

// Body is the JSON body of the search, names normalised as France Travail wants them.
func (q IndividualQuery) Body() individualSearch {
	b := individualSearch{NIR: q.NIR, LastName: NormalizeName(q.LastName, maxLastName, false),
		FirstName: NormalizeName(q.FirstName, maxFirstName, true)}
	if len(b.NIR) > 13 {
		b.NIR = b.NIR[:13]
	}
	if q.Birthdate != nil {
		b.Birthdate = q.Birthdate.Format(time.DateOnly)
	}
	return b
}

// NormalizeName is a name as France Travail's search takes it (asp.md §6.3): transliterated to
// ASCII, upper-case, spaces turned into « - » for a first name (hyphenate), every character other
// than A–Z, « - », « ' » and space dropped, cut at max characters.
func NormalizeName(s string, max int, hyphenate bool) string {
	folded := strings.ToUpper(searchtext.FoldAccents(s))
	if hyphenate {
		folded = strings.ReplaceAll(folded, " ", "-")
	}
	var b strings.Builder
	for _, r := range folded {
		if (r >= 'A' && r <= 'Z') || r == '-' || r == '\'' || r == ' ' {
			b.WriteRune(r)
		}
	}
	out := b.String()
	if len(out) > max {
		out = out[:max]
	}
	return out
}

// Individual is France Travail's answer to a search.
type Individual struct {
	ID        string `json:"idNationalDE"`
	Code      string `json:"codeSortie"`
	Certified bool   `json:"certifDE"`
}

// Found reports whether the search identified the person: code S001 with an identifier.
func (i Individual) Found() bool { return i.Code == IndividualFound && i.ID != "" }

// SearchIndividual asks France Travail for the identifier of the person of q (asp.md §6.3).
// An *Error is a failure to retry; a definitive « not found » is an Individual that is not Found.
func (c *Client) SearchIndividual(ctx context.Context, q IndividualQuery) (Individual, error) {
	var out Individual
	_, err := c.call(ctx, http.MethodPost, SearchIndividualPath, q.Body(), &out)
	return out, err
}

// PASSUpdate is the body of « mise à jour PASS IAE » (asp.md §6.4).
type PASSUpdate struct {
	Start      string `json:"dateDebutPassIAE"`
	End        string `json:"dateFinPassIAE"`
	IDNational string `json:"idNational"`
	Number     string `json:"numPassIAE"`
	Status     string `json:"statutReponsePassIAE"`
	SIRET      string `json:"numSIRETsiae"`
	SIAEType   int    `json:"typeSIAE"`
	Origin     string `json:"origineCandidature"`
	// PrescriberTypology is left out of the body when empty.
	PrescriberTypology string `json:"typologiePrescripteur,omitempty"`
}

// PASSUpdateAnswer is France Travail's answer to an update.
type PASSUpdateAnswer struct {
	Code       string `json:"codeSortie"`
	IDNational string `json:"idNational"`
	Message    string `json:"message"`
}

// UpdatePASS tells France Travail of a PASS IAE (asp.md §6.4). An *Error is a failure to retry;
// an answer whose Code is not PASSUpdated means France Travail discarded the notification.
func (c *Client) UpdatePASS(ctx context.Context, u PASSUpdate) (PASSUpdateAnswer, error) {
	var out PASSUpdateAnswer
	_, err := c.call(ctx, http.MethodPost, UpdatePASSPath, u, &out)
	return out, err
}
