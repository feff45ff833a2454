package fttest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"emplois/internal/platform/francetravail"
)

// The PASS IAE notification's side of France Travail (asp.md §6.3–6.4): the individual search
// answers from the people tests registered by NIR, the update records every body it accepts
// and answers S000 unless told otherwise by PASS number.

// Individual registers the person of this NIR (its first 13 characters are what is sent) with
// France Travail's identifier.
func (s *Server) Individual(nir, id string) {
	s.SearchAnswer(nir, francetravail.Individual{ID: id, Code: francetravail.IndividualFound, Certified: true})
}

// SearchAnswer sets the search's answer for the person of this NIR; unknown people get S000.
func (s *Server) SearchAnswer(nir string, a francetravail.Individual) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.individuals == nil {
		s.individuals = map[string]francetravail.Individual{}
	}
	s.individuals[nir[:min(13, len(nir))]] = a
}

// FindEveryone makes the search find any person with a NIR, with an identifier derived from it
// (the demo).
func (s *Server) FindEveryone() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.findEveryone = true
}

// UpdateCode sets the exit code the update answers for this PASS number (S000 by default).
func (s *Server) UpdateCode(number, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.updateCodes == nil {
		s.updateCodes = map[string]string{}
	}
	s.updateCodes[number] = code
}

// Searches returns the bodies of the searches accepted, in order.
func (s *Server) Searches() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.searches)
}

// Updates returns the bodies of the updates accepted, in order.
func (s *Server) Updates() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.updates)
}

var (
	isoDay       = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	searchName   = regexp.MustCompile(`^[A-Z' -]*$`)
	digits14     = regexp.MustCompile(`^\d{14}$`)
	searchFields = []string{"dateNaissance", "nirCertifie", "nomNaissance", "prenom"}
	updateFields = []string{"dateDebutPassIAE", "dateFinPassIAE", "idNational", "numPassIAE", "statutReponsePassIAE",
		"numSIRETsiae", "typeSIAE", "origineCandidature", "typologiePrescripteur"}
)

// readBody decodes a JSON object and checks its keys are among known, those of required present.
func readBody(r *http.Request, known []string, required int) (map[string]any, string) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return nil, "body is not a JSON object"
	}
	for k := range body {
		if !slices.Contains(known, k) {
			return nil, "unknown key " + k
		}
	}
	for _, k := range known[:required] {
		if _, ok := body[k]; !ok {
			return nil, "missing key " + k
		}
	}
	return body, ""
}

func str(body map[string]any, key string) (string, bool) {
	v, ok := body[key].(string)
	return v, ok
}

// search is « rechercher individu certifié »: four strings, names normalised and cut.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.SearchCalls++
	if !s.admit(w, r, francetravail.PartnerRealm) {
		return
	}
	body, problem := readBody(r, searchFields, len(searchFields))
	if problem == "" {
		problem = checkSearch(body)
	}
	if problem != "" {
		s.refuse(w, r, problem)
		return
	}
	s.searches = append(s.searches, body)
	nir, _ := str(body, "nirCertifie")
	answer, ok := s.individuals[nir]
	switch {
	case nir == "":
		answer = francetravail.Individual{Code: "S000"}
	case !ok && s.findEveryone:
		answer = francetravail.Individual{ID: "demo-" + nir, Code: francetravail.IndividualFound, Certified: true}
	case !ok:
		answer = francetravail.Individual{Code: "S000"}
	}
	writeJSON(w, answer)
}

func checkSearch(body map[string]any) string {
	for _, k := range searchFields {
		if _, ok := str(body, k); !ok {
			return k + " must be a string"
		}
	}
	day, _ := str(body, "dateNaissance")
	nir, _ := str(body, "nirCertifie")
	last, _ := str(body, "nomNaissance")
	first, _ := str(body, "prenom")
	switch {
	case day != "" && !isoDay.MatchString(day):
		return "dateNaissance must be YYYY-MM-DD"
	case nir != "" && len(nir) != 13:
		return "nirCertifie must be the 13 characters of the NIR without its key"
	case !searchName.MatchString(last) || len(last) > 25:
		return "nomNaissance must be normalised, 25 characters at most"
	case !searchName.MatchString(first) || strings.Contains(first, " ") || len(first) > 13:
		return "prenom must be normalised, with dashes, 13 characters at most"
	}
	return ""
}

// update is « mise à jour PASS IAE ».
func (s *Server) update(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.UpdateCalls++
	if !s.admit(w, r, francetravail.PartnerRealm) {
		return
	}
	body, problem := readBody(r, updateFields, len(updateFields)-1)
	if problem == "" {
		problem = checkUpdate(body)
	}
	if problem != "" {
		s.refuse(w, r, problem)
		return
	}
	s.updates = append(s.updates, body)
	number, _ := str(body, "numPassIAE")
	id, _ := str(body, "idNational")
	code, ok := s.updateCodes[number]
	if !ok {
		code = francetravail.PASSUpdated
	}
	writeJSON(w, francetravail.PASSUpdateAnswer{Code: code, IDNational: id, Message: "Pass IAE prescrit"})
}

func checkUpdate(body map[string]any) string {
	for _, k := range updateFields {
		if _, present := body[k]; !present || k == "typeSIAE" {
			continue
		}
		if _, ok := str(body, k); !ok {
			return k + " must be a string"
		}
	}
	start, _ := str(body, "dateDebutPassIAE")
	end, _ := str(body, "dateFinPassIAE")
	number, _ := str(body, "numPassIAE")
	siret, _ := str(body, "numSIRETsiae")
	status, _ := str(body, "statutReponsePassIAE")
	origin, _ := str(body, "origineCandidature")
	id, _ := str(body, "idNational")
	kind, isNumber := body["typeSIAE"].(float64)
	switch {
	case !isoDay.MatchString(start) || !isoDay.MatchString(end):
		return "dateDebutPassIAE and dateFinPassIAE must be YYYY-MM-DD"
	case len(number) != 12:
		return "numPassIAE must have 12 characters"
	case !digits14.MatchString(siret):
		return "numSIRETsiae must be 14 digits"
	case status != "A":
		return `statutReponsePassIAE must be "A"`
	case !isNumber || kind < 836 || kind > 840 || kind != float64(int(kind)):
		return fmt.Sprintf("typeSIAE must be an integer of 836–840, not %v", body["typeSIAE"])
	case origin != "DEMA" && origin != "PRES" && origin != "EMPL":
		return "origineCandidature must be DEMA, PRES or EMPL"
	case id == "":
		return "idNational is required"
	}
	return ""
}

// refuse answers 400 to a call outside the contract and notes why. s.mu is held.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, problem string) {
	s.problems = append(s.problems, r.URL.Path+": "+problem)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, `{"codeErreur":"TEST400","codeHttp":400,"message":%q}`, problem)
}
