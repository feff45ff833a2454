package asp

import (
	"strings"

	"emplois/internal/platform/searchtext"
)

// LaneType is the ASP code of a kind of lane (codetypevoie): RUE, AV, BD, CHEM…
type LaneType string

// laneType is one ASP lane code with its label and the other words an address may use for it
// (abbreviations of La Poste's addressing norm, old spellings, plurals that do not end in s).
type laneType struct {
	code    LaneType
	label   string
	aliases []string
}

// laneTypes are the ASP lane codes. Each code and label is an alias of itself too.
var laneTypes = []laneType{
	{"AER", "Aérodrome", []string{"AERODROME", "AEROPORT"}},
	{"AGL", "Agglomération", nil},
	{"AIRE", "Aire", nil},
	{"ALL", "Allée", []string{"AL", "ALLEES"}},
	{"ANGL", "Angle", nil},
	{"ARC", "Arcade", nil},
	{"ART", "Artère", nil},
	{"AUT", "Autoroute", []string{"AUTO"}},
	{"AV", "Avenue", []string{"AVE", "AVN", "AVEN"}},
	{"BASE", "Base", nil},
	{"BD", "Boulevard", []string{"BLD", "BL", "BOUL", "BOULEV", "BVD", "BV"}},
	{"BER", "Berge", nil},
	{"BORD", "Bord", nil},
	{"BRE", "Barrière", nil},
	{"BRG", "Bourg", nil},
	{"BRTL", "Bretelle", nil},
	{"BSN", "Bassin", nil},
	{"CAMP", "Camp", nil},
	{"CAN", "Canal", nil},
	{"CAR", "Carrefour", []string{"CARREF", "CRF"}},
	{"CARR", "Carré", nil},
	{"CAV", "Cavée", nil},
	{"CGNE", "Campagne", nil},
	{"CHEM", "Chemin", []string{"CHE", "CH", "CHM", "CHEMINEMENT"}},
	{"CHEZ", "Chez", nil},
	{"CHL", "Chalet", nil},
	{"CHP", "Chapelle", nil},
	{"CHS", "Chaussée", []string{"CHAUSSEE"}},
	{"CHT", "Château", nil},
	{"CHV", "Chemin vicinal", []string{"CHEM VICINAL", "CV"}},
	{"CITE", "Cité", []string{"CTE"}},
	{"CLOS", "Clos", nil},
	{"COL", "Col", nil},
	{"COLI", "Colline", nil},
	{"COR", "Corniche", nil},
	{"COTE", "Coteau", []string{"COTEAUX", "COTES"}},
	{"COUR", "Cour", nil},
	{"CPG", "Camping", nil},
	{"CRS", "Cours", []string{"CR"}},
	{"CTRE", "Centre", []string{"CENTRE COMMERCIAL", "CCAL"}},
	{"DIG", "Digue", nil},
	{"DOM", "Domaine", []string{"DOMAINES"}},
	{"DSC", "Descente", []string{"DESC"}},
	{"ECL", "Écluse", nil},
	{"EGL", "Église", nil},
	{"ENC", "Enclos", nil},
	{"ESC", "Escalier", nil},
	{"ESP", "Esplanade", []string{"ESPL"}},
	{"ESPA", "Espace", nil},
	{"ETNG", "Étang", nil},
	{"FG", "Faubourg", []string{"FBG", "FAUB"}},
	{"FON", "Fontaine", nil},
	{"FORM", "Forum", nil},
	{"FORT", "Fort", nil},
	{"FOYR", "Foyer", nil},
	{"FRM", "Ferme", nil},
	{"GAL", "Galerie", []string{"GALERIES"}},
	{"GARE", "Gare", nil},
	{"GBD", "Grand boulevard", []string{"GD BD", "GRAND BD"}},
	{"GPE", "Groupe", nil},
	{"GR", "Grande rue", []string{"GDE RUE", "GRANDE R", "GRAND RUE", "GRAND R"}},
	{"HAM", "Hameau", []string{"HAMEAUX", "HAMEAU"}},
	{"HLE", "Halle", nil},
	{"HLM", "HLM", nil},
	{"ILE", "Île", []string{"ILOT"}},
	{"IMM", "Immeuble", []string{"IMMEUBLES"}},
	{"IMP", "Impasse", nil},
	{"JARD", "Jardin", []string{"JARDINS"}},
	{"JTE", "Jetée", nil},
	{"LD", "Lieu-dit", []string{"LIEUDIT", "LIEU", "L D"}},
	{"LEVE", "Levée", nil},
	{"LOT", "Lotissement", []string{"LOTISS"}},
	{"MAIL", "Mail", nil},
	{"MAN", "Manoir", nil},
	{"MAR", "Marché", nil},
	{"MAS", "Mas", nil},
	{"MLN", "Moulin", nil},
	{"MTE", "Montée", []string{"MONTEE"}},
	{"PARC", "Parc", []string{"PRC"}},
	{"PAS", "Passage", []string{"PASSAGE", "PSG"}},
	{"PASS", "Passe", nil},
	{"PAV", "Pavillon", nil},
	{"PCH", "Petit chemin", nil},
	{"PERI", "Périphérique", nil},
	{"PIM", "Petite impasse", nil},
	{"PKG", "Parking", nil},
	{"PL", "Place", []string{"PLC", "PLCE"}},
	{"PLAG", "Plage", nil},
	{"PLAN", "Plan", nil},
	{"PLE", "Passerelle", nil},
	{"PLN", "Plaine", nil},
	{"PLT", "Plateau", []string{"PLATEAUX"}},
	{"PN", "Passage à niveau", nil},
	{"PNT", "Pointe", nil},
	{"PONT", "Pont", nil},
	{"PORT", "Port", nil},
	{"PRE", "Pré", nil},
	{"PROM", "Promenade", []string{"PRM"}},
	{"PRQ", "Presqu'île", nil},
	{"PRT", "Petite route", nil},
	{"PRV", "Parvis", nil},
	{"PTA", "Petite allée", nil},
	{"PTE", "Porte", nil},
	{"PTR", "Petite rue", nil},
	{"QUAI", "Quai", []string{"QU", "QAI"}},
	{"QUA", "Quartier", []string{"QRT", "QUART"}},
	{"RAC", "Raccourci", nil},
	{"RAID", "Raidillon", nil},
	{"REM", "Rempart", nil},
	{"RES", "Résidence", []string{"RESID", "RSD", "RESIDENCES"}},
	{"RLE", "Ruelle", nil},
	{"ROC", "Rocade", nil},
	{"RPE", "Rampe", nil},
	{"RPT", "Rond-point", []string{"RD PT", "RDPT", "ROND PT"}},
	{"RTD", "Rotonde", nil},
	{"RTE", "Route", []string{"RT", "RTES"}},
	{"RUE", "Rue", []string{"R"}},
	{"SEN", "Sentier", []string{"SENTE", "SENT"}},
	{"SQ", "Square", []string{"SQR"}},
	{"STA", "Station", nil},
	{"STDE", "Stade", nil},
	{"TOUR", "Tour", nil},
	{"TPL", "Terre-plein", nil},
	{"TRA", "Traverse", []string{"TRAV"}},
	{"TRN", "Terrain", nil},
	{"TRT", "Tertre", nil},
	{"TSSE", "Terrasse", []string{"TERR"}},
	{"VAL", "Vallée", []string{"VALLON"}},
	{"VCHE", "Vieux chemin", []string{"VX CHEM", "VIEUX CH"}},
	{"VEN", "Venelle", nil},
	{"VGE", "Village", []string{"VLGE"}},
	{"VIA", "Via", nil},
	{"VLA", "Villa", []string{"VILLAS"}},
	{"VOI", "Voie", []string{"VOIE"}},
	{"VTE", "Vieille route", []string{"VIEILLE RTE"}},
	{"ZA", "Zone artisanale", []string{"Z A"}},
	{"ZAC", "Zone d'aménagement concerté", []string{"Z A C"}},
	{"ZAD", "Zone d'aménagement différé", nil},
	{"ZI", "Zone industrielle", []string{"Z I"}},
	{"ZONE", "Zone", []string{"ZN"}},
}

// laneTypeIndex maps every normalized code, label and alias to its code. Built once; a word
// that would name two codes is a mistake in laneTypes, caught by the tests.
var laneTypeIndex = func() map[string]LaneType {
	idx := make(map[string]LaneType, 4*len(laneTypes))
	for _, t := range laneTypes {
		for _, w := range append([]string{string(t.code), t.label}, t.aliases...) {
			if _, taken := idx[key(w)]; !taken {
				idx[key(w)] = t.code
			}
		}
	}
	return idx
}()

// key is the form words are compared in: upper-case ASCII words, accents and punctuation gone
// ("Lieu-dit" → "LIEU DIT", "Allée" → "ALLEE", "av." → "AV").
func key(s string) string { return strings.ToUpper(searchtext.Normalize(s)) }

// LaneTypeOf reads the lane type an address names in its own words ("Avenue", "av.", "BD",
// "Rond-point", "chemins"): the code, its label or an alias, in any case and with or without
// accents, also in the plural. It is how a free address is turned into the HEXA fields.
func LaneTypeOf(word string) (LaneType, bool) {
	k := key(word)
	if k == "" {
		return "", false
	}
	if t, ok := laneTypeIndex[k]; ok {
		return t, true
	}
	if singular, ok := strings.CutSuffix(k, "S"); ok && singular != "" {
		t, ok := laneTypeIndex[singular]
		return t, ok
	}
	return "", false
}

// LaneTypes lists every lane code with its label.
func LaneTypes() []Choice {
	out := make([]Choice, len(laneTypes))
	for i, t := range laneTypes {
		out[i] = Choice{Value: string(t.code), Label: t.label}
	}
	return out
}

// Label is the French label, "" for an unknown code.
func (t LaneType) Label() string {
	for _, lt := range laneTypes {
		if lt.code == t {
			return lt.label
		}
	}
	return ""
}
