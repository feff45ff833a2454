package seed

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"emplois/internal/platform/searchtext"
)

// Streams: each family of rows draws from its own random stream, so that changing how one family
// is generated leaves the others as they were.
const (
	streamCompanies uint64 = iota + 1
	streamJobDescriptions
	streamPrescribers
	streamProfessionals
	streamJobSeekers
	streamApplications
	streamProfiles
	streamApprovals
)

func newRand(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

// newUUID draws a version 4 UUID from r (deterministic, unlike uuid.New).
func newUUID(r *rand.Rand) string {
	var b uuid.UUID
	binary.LittleEndian.PutUint64(b[:8], r.Uint64())
	binary.LittleEndian.PutUint64(b[8:], r.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return b.String()
}

// pick returns one element of list.
func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// chance returns true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// daysBefore returns an instant between minDays and maxDays+1 days before now, to the second.
func daysBefore(r *rand.Rand, now time.Time, minDays, maxDays int) time.Time {
	d := minDays
	if maxDays > minDays {
		d += r.IntN(maxDays - minDays + 1)
	}
	return now.Add(-time.Duration(d)*24*time.Hour - time.Duration(1+r.IntN(86399))*time.Second)
}

// weighted draws one of the choices in proportion to its weight.
type weighted[T any] struct {
	values []T
	cum    []float64
}

func newWeighted[T any](pairs ...any) weighted[T] {
	var values []T
	var weights []float64
	for i := 0; i < len(pairs); i += 2 {
		values = append(values, pairs[i].(T))
		weights = append(weights, pairs[i+1].(float64))
	}
	return weightedOf(values, weights)
}

// weightedOf pairs each value with its weight.
func weightedOf[T any](values []T, weights []float64) weighted[T] {
	w := weighted[T]{values: values, cum: make([]float64, len(weights))}
	total := 0.0
	for i, weight := range weights {
		total += weight
		w.cum[i] = total
	}
	return w
}

// draw returns the first value whose cumulated weight exceeds a uniform draw (binary search: the
// seed draws among thousands of companies).
func (w weighted[T]) draw(r *rand.Rand) T {
	x := r.Float64() * w.cum[len(w.cum)-1]
	i := sort.Search(len(w.cum), func(i int) bool { return w.cum[i] > x })
	return w.values[min(i, len(w.values)-1)]
}

var firstNames = []string{
	"Adèle", "Adrien", "Agathe", "Aïcha", "Alain", "Alexandre", "Alice", "Amandine", "Amine", "Anaïs", "André",
	"Anne", "Antoine", "Aurélie", "Bastien", "Béatrice", "Benoît", "Bernard", "Brigitte", "Camille", "Carla",
	"Caroline", "Cédric", "Céline", "Charles", "Chloé", "Christine", "Claire", "Clément", "Corinne", "Damien",
	"Delphine", "Denis", "Dominique", "Élodie", "Émilie", "Emma", "Éric", "Fabien", "Fanny", "Fatima", "Florence",
	"François", "Frédéric", "Gaëlle", "Georges", "Guillaume", "Hélène", "Hugo", "Inès", "Isabelle", "Jacques",
	"Jean", "Jérôme", "Joël", "Julie", "Julien", "Karim", "Karine", "Laetitia", "Laura", "Laurent", "Léa",
	"Lucas", "Lucie", "Malik", "Manon", "Marc", "Marie", "Martine", "Mathieu", "Mehdi", "Mélanie", "Michel",
	"Moussa", "Nadia", "Nathalie", "Nicolas", "Noémie", "Océane", "Olivier", "Pascal", "Patricia", "Paul",
	"Philippe", "Pierre", "Rachid", "Romain", "Samia", "Samuel", "Sandrine", "Sarah", "Sébastien", "Sophie",
	"Stéphane", "Sylvie", "Thierry", "Thomas", "Valérie", "Vincent", "Virginie", "Yannick", "Yasmina", "Youssef",
}

var lastNames = []string{
	"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
	"Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
	"Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André",
	"Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
	"Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
	"Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
	"Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
	"Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
	"Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
	"Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte",
	"Benali", "Diallo", "Traoré", "Nguyen", "Haddad", "Mansouri", "Cissé", "Da Silva", "Ferreira", "Kone",
}

var streets = []string{
	"rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "rue Pasteur", "place de la Mairie",
	"rue de la Gare", "chemin des Vignes", "rue du Moulin", "avenue de la Libération", "rue des Écoles",
	"boulevard Gambetta", "rue Jules Ferry", "impasse des Artisans", "rue de l'Industrie", "zone artisanale des Prés",
	"rue du Stade", "allée des Tilleuls", "route de la Forêt", "rue Émile Zola", "quai de la Loire",
	"rue des Jardins", "avenue du Général de Gaulle", "rue Louis Pasteur", "rue de la Paix", "rue du Port",
}

// ascii lowercases s and drops accents and anything that cannot be in an e-mail local part.
func ascii(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(searchtext.FoldAccents(s)) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == ' ' || c == '-' || c == '\'':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// phone draws a French phone number: landline of the region, or a mobile.
func phone(r *rand.Rand) string {
	prefix := pick(r, []string{"01", "02", "03", "04", "05", "06", "07", "09"})
	return fmt.Sprintf("%s%08d", prefix, r.IntN(100000000))
}

// address draws a street address.
func address(r *rand.Rand) string {
	return fmt.Sprintf("%d %s", 1+r.IntN(180), pick(r, streets))
}
