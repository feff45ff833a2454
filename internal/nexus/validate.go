package nexus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"emplois/internal/account"
	"emplois/internal/platform/fault"
)

// The refusals of a pushed item, word for word the original's (Django REST framework in French,
// api.md §8): partners' clients read them.
const (
	MsgRequired     = "Ce champ est obligatoire."
	MsgBlank        = "Ce champ ne peut être vide."
	MsgNull         = "Ce champ ne peut être nul."
	MsgNotString    = "Chaîne de caractères non valide."
	MsgInvalidURL   = "Saisissez une URL valide."
	MsgInvalidEmail = "Saisissez une adresse e-mail valide."
	MsgDateTime     = "La date + heure n'a pas le bon format. Utilisez un des formats suivants : YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
	MsgNotObject    = "Donnée non valide. Attendait un dictionnaire, a reçu %s."
	MsgNotList      = "Attendait une liste d'éléments mais a reçu \"%s\"."
	// MsgMaxLength takes the limit.
	MsgMaxLength = "Assurez-vous que ce champ comporte au plus %d caractères."
	MsgSIRET     = "Le SIRET doit être composé de 14 chiffres."
)

// MsgInvalidChoice is the refusal of a value that is not one of the choices, with non-breaking
// spaces inside the guillemets.
func MsgInvalidChoice(value string) string {
	return "«\u00a0" + value + "\u00a0» n'est pas un choix valide."
}

// MaxPhoneLength is the longest phone number of a user (api.md §8).
const MaxPhoneLength = 20

// ItemError is why one pushed item was refused: Key is its id (or "#<position>" when it has
// none usable), Fields its fields' messages in order ("" for the item as a whole).
type ItemError struct {
	Key    string
	Fields fault.Fields
}

// ListError refuses a whole body: not a list (Fields), or, for a delete, malformed items (Items,
// one entry per item, empty for the valid ones).
type ListError struct {
	Fields fault.Fields
	Items  []fault.Fields
}

func (e *ListError) Error() string { return "nexus: malformed list" }

// SplitList reads a body that must be a JSON list, into its items.
func SplitList(body []byte) ([]json.RawMessage, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(body, &items); err != nil {
		var any json.RawMessage
		if json.Unmarshal(body, &any) != nil {
			return nil, err
		}
		var f fault.Fields
		f.Add("", fmt.Sprintf(MsgNotList, pythonType(any)))
		return nil, &ListError{Fields: f}
	}
	return items, nil
}

// pythonType names a JSON value's type as the original's messages do.
func pythonType(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0:
		return "NoneType"
	case v[0] == '{':
		return "dict"
	case v[0] == '[':
		return "list"
	case v[0] == '"':
		return "str"
	case string(v) == "null":
		return "NoneType"
	case string(v) == "true" || string(v) == "false":
		return "bool"
	case bytes.ContainsAny(v, ".eE"):
		return "float"
	}
	return "int"
}

// item reads the fields of one pushed object, collecting what is wrong with them.
type item struct {
	raw  map[string]json.RawMessage
	errs fault.Fields
}

// readItem opens one element of the list: an object, else an error for the whole item.
func readItem(v json.RawMessage) *item {
	it := &item{}
	if bytes.HasPrefix(bytes.TrimSpace(v), []byte("{")) && json.Unmarshal(v, &it.raw) == nil {
		return it
	}
	it.errs.Add("", fmt.Sprintf(MsgNotObject, pythonType(v)))
	return it
}

// value returns the raw value of name, or records that it is missing.
func (it *item) value(name string) (json.RawMessage, bool) {
	if it.raw == nil {
		return nil, false
	}
	v, ok := it.raw[name]
	if !ok {
		it.errs.Add(name, MsgRequired)
		return nil, false
	}
	return v, true
}

// text reads a string field as the framework's CharField: numbers are taken as their text,
// surrounding spaces trimmed, null and "" refused unless allowed.
func (it *item) text(name string, blank bool) string {
	s, _ := it.optionalText(name, blank, false)
	return s
}

// optionalText is text whose null is allowed when nullable (isNull true).
func (it *item) optionalText(name string, blank, nullable bool) (s string, isNull bool) {
	v, ok := it.value(name)
	if !ok {
		return "", false
	}
	v = bytes.TrimSpace(v)
	switch {
	case string(v) == "null":
		if !nullable {
			it.errs.Add(name, MsgNull)
		}
		return "", true
	case len(v) > 0 && v[0] == '"':
		if err := json.Unmarshal(v, &s); err != nil {
			it.errs.Add(name, MsgNotString)
			return "", false
		}
	case len(v) > 0 && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')):
		s = string(v)
	default:
		it.errs.Add(name, MsgNotString)
		return "", false
	}
	s = strings.TrimSpace(s)
	if s == "" && !blank {
		it.errs.Add(name, MsgBlank)
	}
	return s, false
}

// choice reads a text that must be one of choices.
func (it *item) choice(name string, choices []string) string {
	s := it.text(name, false)
	if s != "" && !slices.Contains(choices, s) {
		it.errs.Add(name, MsgInvalidChoice(s))
	}
	return s
}

// url reads a web address (may be "").
func (it *item) url(name string) string {
	s := it.text(name, true)
	if s != "" && !ValidURL(s) {
		it.errs.Add(name, MsgInvalidURL)
	}
	return s
}

// email reads an e-mail address.
func (it *item) email(name string, blank bool) string {
	s := it.text(name, blank)
	if s != "" && !ValidEmail(s) {
		it.errs.Add(name, MsgInvalidEmail)
	}
	return s
}

// datetime reads an optional, nullable date and time.
func (it *item) datetime(name string) *time.Time {
	if it.raw == nil {
		return nil
	}
	v, ok := it.raw[name]
	if !ok || string(bytes.TrimSpace(v)) == "null" {
		return nil
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		it.errs.Add(name, MsgDateTime)
		return nil
	}
	t, err := ParseDateTime(s)
	if err != nil {
		it.errs.Add(name, MsgDateTime)
		return nil
	}
	return &t
}

// key is the item's id for the errors, or its position when it has no usable one.
func (it *item) key(id string, position int) string {
	if id != "" && !it.errs.Has("id") {
		return id
	}
	return "#" + strconv.Itoa(position)
}

// paris is the time zone of a date and time sent without offset (the original's TIME_ZONE).
var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()

// ParseDateTime reads an ISO 8601 date and time as the framework does: seconds and fractions
// optional, "Z" or an offset, or none (Paris time).
func ParseDateTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Truncate(time.Microsecond), nil
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05.999999999", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, paris); err == nil {
			return t.UTC().Truncate(time.Microsecond), nil
		}
	}
	return time.Time{}, fmt.Errorf("nexus: not a date and time: %q", s)
}

// FormatDateTime writes an instant in UTC as the original does (Python's isoformat): the
// microseconds only when not zero, "+00:00".
func FormatDateTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02T15:04:05") + "+00:00"
	}
	return t.Format("2006-01-02T15:04:05.000000") + "+00:00"
}

// ValidURL reports whether s is a web address as Django's URL validator accepts it: an http(s)
// or ftp(s) scheme, a host that is a domain name with a dot, localhost or an IP address, no
// spaces.
func ValidURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n") || utf8.RuneCountInString(s) > 2048 {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || !slices.Contains([]string{"http", "https", "ftp", "ftps"}, strings.ToLower(u.Scheme)) || u.Opaque != "" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" || net.ParseIP(host) != nil {
		return true
	}
	return hostname.MatchString(host)
}

var hostname = regexp.MustCompile(`^(?i)([\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?:[\p{L}-]{2,63}|xn--[a-z0-9]{1,59})\.?$`)

// ValidEmail reports whether s is an e-mail address (the account's rule).
func ValidEmail(s string) bool { return account.EmailProblem(account.NormalizeEmail(s)) == "" }

// mappedKind reads the item's kind in the source's words and maps it with of; a kind the
// mapping does not know is an error of the field.
func mappedKind[K any](it *item, source Source, of func(Source, string) (K, bool)) (string, K) {
	sourceKind := it.text("kind", true)
	kind, known := of(source, sourceKind)
	if it.raw != nil && !it.errs.Has("kind") && !known {
		it.errs.Add("kind", MsgInvalidChoice(sourceKind))
	}
	return sourceKind, kind
}

// readUsers reads pushed users: the valid ones and the errors of the others.
func readUsers(source Source, items []json.RawMessage, now time.Time) ([]User, []ItemError) {
	var users []User
	var errs []ItemError
	for i, v := range items {
		it := readItem(v)
		id := it.text("id", false)
		sourceKind, kind := mappedKind(it, source, UserKindOf)
		u := User{ID: StoredID(source, id), Source: source, SourceID: id, SourceKind: sourceKind, Kind: kind,
			FirstName: it.text("first_name", false), LastName: it.text("last_name", false),
			Email: it.email("email", false), Phone: it.text("phone", true),
			LastLogin: it.datetime("last_login"), Auth: it.choice("auth", Auths), UpdatedAt: now}
		if utf8.RuneCountInString(u.Phone) > MaxPhoneLength {
			it.errs.Add("phone", fmt.Sprintf(MsgMaxLength, MaxPhoneLength))
		}
		if len(it.errs) > 0 {
			errs = append(errs, ItemError{Key: it.key(id, i), Fields: it.errs})
			continue
		}
		users = append(users, u)
	}
	return users, errs
}

var siretDigits = regexp.MustCompile(`^[0-9]{14}$`)

// readStructures reads pushed structures.
func readStructures(source Source, items []json.RawMessage, now time.Time) ([]Structure, []ItemError) {
	var structures []Structure
	var errs []ItemError
	for i, v := range items {
		it := readItem(v)
		id := it.text("id", false)
		sourceKind, kind := mappedKind(it, source, StructureKindOf)
		var siret *string
		if s, isNull := it.optionalText("siret", false, true); !isNull && !it.errs.Has("siret") {
			if !siretDigits.MatchString(s) {
				it.errs.Add("siret", MsgSIRET)
			}
			siret = &s
		}
		st := Structure{ID: StoredID(source, id), Source: source, SourceID: id, SourceKind: sourceKind, Kind: kind, SIRET: siret,
			Name: it.text("name", false), Phone: it.text("phone", true), Email: it.email("email", true),
			AddressLine1: it.text("address_line_1", true), AddressLine2: it.text("address_line_2", true),
			PostCode: it.text("post_code", true), City: it.text("city", true), Department: it.text("department", true),
			Website: it.url("website"), OpeningHours: it.text("opening_hours", true), Accessibility: it.url("accessibility"),
			Description: it.text("description", true), SourceLink: it.url("source_link"), UpdatedAt: now}
		if len(it.errs) > 0 {
			errs = append(errs, ItemError{Key: it.key(id, i), Fields: it.errs})
			continue
		}
		structures = append(structures, st)
	}
	return structures, errs
}

// readMemberships reads pushed memberships.
func readMemberships(source Source, items []json.RawMessage, now time.Time) ([]Membership, []ItemError) {
	var memberships []Membership
	var errs []ItemError
	for i, v := range items {
		it := readItem(v)
		id := it.text("id", false)
		m := Membership{ID: StoredID(source, id), Source: source, SourceID: id,
			UserID: StoredID(source, it.text("user_id", false)), StructureID: StoredID(source, it.text("structure_id", false)),
			Role: it.choice("role", Roles), UpdatedAt: now}
		if len(it.errs) > 0 {
			errs = append(errs, ItemError{Key: it.key(id, i), Fields: it.errs})
			continue
		}
		memberships = append(memberships, m)
	}
	return memberships, errs
}

// readIDs reads the items of a delete: each an object with an id. Any malformed item refuses
// the whole list (api.md §8).
func readIDs(source Source, items []json.RawMessage) ([]string, error) {
	ids := make([]string, 0, len(items))
	all := make([]fault.Fields, len(items))
	bad := false
	for i, v := range items {
		it := readItem(v)
		id := it.text("id", false)
		if len(it.errs) > 0 {
			all[i], bad = it.errs, true
			continue
		}
		ids = append(ids, StoredID(source, id))
	}
	if bad {
		return nil, &ListError{Items: all}
	}
	return ids, nil
}
