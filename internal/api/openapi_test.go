package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"emplois/internal/directory"
	"emplois/internal/org"
)

func openAPI(t *testing.T) *Document {
	t.Helper()
	d, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d.OpenAPI, "3.") || d.Info.Title == "" || len(d.Servers) == 0 {
		t.Fatalf("not an OpenAPI 3 document: %+v", d)
	}
	return d
}

func siaesOperation(t *testing.T, d *Document) *Operation {
	t.Helper()
	p, ok := d.Paths["/siaes/"]
	if !ok || p.Get == nil {
		t.Fatal("openapi.json has no GET /siaes/")
	}
	return p.Get
}

func TestOpenAPI_ListsEveryParameterTheHandlerReads(t *testing.T) {
	op := siaesOperation(t, openAPI(t))
	var documented []string
	for _, p := range op.Parameters {
		if p.In != "query" || p.Description == "" || p.Schema == nil {
			t.Errorf("parameter %s: in %q, description %q, schema %v", p.Name, p.In, p.Description, p.Schema)
		}
		documented = append(documented, p.Name)
	}
	read := append([]string(nil), SiaesParams...)
	sort.Strings(documented)
	sort.Strings(read)
	if !reflect.DeepEqual(documented, read) {
		t.Errorf("documented parameters %v, read %v", documented, read)
	}
}

func TestOpenAPI_OrderingAndKindChoicesAreTheCodes(t *testing.T) {
	op := siaesOperation(t, openAPI(t))
	var want []string
	for _, f := range directory.Fields {
		want = append(want, string(f), "-"+string(f))
	}
	for _, p := range op.Parameters {
		if p.Name == ParamOrder && !reflect.DeepEqual(p.Schema.Enum, want) {
			t.Errorf("o choices %v, want %v", p.Schema.Enum, want)
		}
	}
	var kinds []string
	for _, k := range org.CompanyKinds {
		kinds = append(kinds, string(k))
	}
	if got := openAPI(t).Components.Schemas["Siae"].Properties["type"].Enum; !reflect.DeepEqual(got, kinds) {
		t.Errorf("type choices %v, want the listed kinds %v", got, kinds)
	}
}

// jsonFields returns the JSON names of a struct's fields and the OpenAPI type each must have.
func jsonFields(t *testing.T, v any) map[string]string {
	t.Helper()
	out := map[string]string{}
	rt := reflect.TypeOf(v)
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		var typ string
		ft := f.Type
		if ft.Kind() == reflect.Pointer && ft.Elem().Kind() != reflect.Struct {
			ft = ft.Elem() // a nullable value
		}
		switch k := ft.Kind(); {
		case k == reflect.String:
			typ = "string"
		case k == reflect.Bool:
			typ = "boolean"
		case k == reflect.Int, k == reflect.Int64:
			typ = "integer"
		case k == reflect.Float64:
			typ = "number"
		case k == reflect.Slice:
			typ = "array"
		case k == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct:
			typ = "ref"
		default:
			t.Fatalf("%s.%s: unexpected type %s", rt.Name(), f.Name, f.Type)
		}
		out[name] = typ
	}
	return out
}

// The serializers and the schemas must name the same fields, with the same types: a partner
// generating a client from the document must read what the API writes.
func TestOpenAPI_SchemasNameEveryFieldOfTheSerializers(t *testing.T) {
	schemas := openAPI(t).Components.Schemas
	for name, v := range map[string]any{"PaginatedSiaeList": SiaePage{}, "Siae": Siae{}, "Poste": Poste{}, "Lieu": Lieu{}, "Error": ErrorBody{},
		"PaginatedStructureList": Page[Structure]{}, "Structure": Structure{},
		"PaginatedMarcheCompanyList": Page[MarcheCompany]{}, "MarcheCompany": MarcheCompany{},

		"PaginatedCandidatList": Page[Candidat]{}, "Candidat": Candidat{},
		"PaginatedCandidatureList": Page[Candidature]{}, "Candidature": Candidature{}, "PosteRecherche": PosteRecherche{},
		"PaginatedEmbaucheGEIQList": Page[EmbaucheGEIQ]{}, "EmbaucheGEIQ": EmbaucheGEIQ{}, "ActionGEIQ": ActionGEIQ{}} {
		s := schemas[name]
		if s == nil {
			t.Errorf("no schema %s", name)
			continue
		}
		fields := jsonFields(t, v)
		for field, typ := range fields {
			p, ok := s.Properties[field]
			switch {
			case !ok:
				t.Errorf("schema %s has no property %s", name, field)
			case p.Description == "":
				t.Errorf("%s.%s has no description", name, field)
			case typ == "ref" && p.RefName() == "":
				t.Errorf("%s.%s should point at a schema", name, field)
			case typ != "ref" && p.Type != typ:
				t.Errorf("%s.%s is %q in the schema, %q in the serializer", name, field, p.Type, typ)
			}
		}
		for prop := range s.Properties {
			if _, ok := fields[prop]; !ok {
				t.Errorf("schema %s documents %s, which the API never writes", name, prop)
			}
		}
		if len(s.Required) != len(fields) {
			t.Errorf("schema %s requires %v; every field is always written", name, s.Required)
		}
		// Required lists the fields in the order the API writes them (the page shows that order).
		for i, field := range s.Required {
			if i < reflect.TypeOf(v).NumField() {
				if tag, _, _ := strings.Cut(reflect.TypeOf(v).Field(i).Tag.Get("json"), ","); tag != field {
					t.Errorf("schema %s: required[%d] is %s, the serializer writes %s there", name, i, field, tag)
				}
			}
		}
	}
}

func TestOpenAPI_ExamplesAreWhatTheAPIAnswers(t *testing.T) {
	op := siaesOperation(t, openAPI(t))
	for _, status := range []string{"200", "400", "404", "429"} {
		r := op.Responses[status]
		if r == nil || r.Content["application/json"].Example == nil {
			t.Fatalf("response %s has no JSON example", status)
		}
	}
	// The 200 example decodes into the serializer without unknown field, and encodes back to the
	// same keys.
	example := op.Responses["200"].Content["application/json"].Example
	dec := json.NewDecoder(bytes.NewReader(example))
	dec.DisallowUnknownFields()
	var page SiaePage
	if err := dec.Decode(&page); err != nil {
		t.Fatalf("200 example: %v", err)
	}
	again, _ := json.Marshal(page)
	var a, b any
	json.Unmarshal(example, &a)
	json.Unmarshal(again, &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("200 example is not what the serializer writes:\n%s\n%s", example, again)
	}
	var missing []string
	json.Unmarshal(op.Responses["400"].Content["application/json"].Example, &missing)
	if len(missing) != 1 || missing[0] != MsgSiaesFilterRequired {
		t.Errorf("400 example %q, want the message the API gives", missing)
	}
	if _, ok := op.Responses["429"].Headers["Retry-After"]; !ok {
		t.Error("the 429 answer does not document Retry-After")
	}
}

// Each partner endpoint is documented with its credentials, and its 200 example is what its
// serializer writes.
func TestOpenAPI_PartnerEndpointsNameTheirTokenAndExample(t *testing.T) {
	d := openAPI(t)
	for path, decode := range map[string]func([]byte) (any, error){
		"/data-inclusion/": func(b []byte) (any, error) { return strictDecode[Page[Structure]](b) },
		"/marche/":         func(b []byte) (any, error) { return strictDecode[Page[MarcheCompany]](b) },
		"/embauches-geiq/": func(b []byte) (any, error) { return strictDecode[Page[EmbaucheGEIQ]](b) },
	} {
		item, ok := d.Paths[path]
		if !ok || item.Get == nil {
			t.Errorf("%s is not documented", path)
			continue
		}
		if len(item.Get.Security) == 0 {
			t.Errorf("%s does not say which token it takes", path)
		}
		example := item.Get.Responses["200"].Content["application/json"].Example
		v, err := decode(example)
		if err != nil {
			t.Errorf("%s: 200 example: %v", path, err)
			continue
		}
		again, _ := json.Marshal(v)
		var a, b any
		json.Unmarshal(example, &a)
		json.Unmarshal(again, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: 200 example is not what the serializer writes:\n%s\n%s", path, example, again)
		}
	}
}

func TestOpenAPI_DocumentsCandidats(t *testing.T) {
	p, ok := openAPI(t).Paths["/candidats/"]
	if !ok || p.Get == nil {
		t.Fatal("openapi.json has no GET /candidats/")
	}
	var documented []string
	for _, p := range p.Get.Parameters {
		documented = append(documented, p.Name)
	}
	if want := []string{ParamMultiCompanies, ParamCompanyUIDs, ParamPage, ParamPageSize}; !reflect.DeepEqual(documented, want) {
		t.Errorf("documented parameters %v, want %v", documented, want)
	}
	checkExamples[Candidat](t, p.Get, 2, "400", "401", "403", "404", "429")
}

func TestOpenAPI_DocumentsEmbauchesGEIQ(t *testing.T) {
	p, ok := openAPI(t).Paths["/embauches-geiq/"]
	if !ok || p.Get == nil {
		t.Fatal("openapi.json has no GET /embauches-geiq/")
	}
	var documented []string
	for _, p := range p.Get.Parameters {
		documented = append(documented, p.Name)
	}
	if !reflect.DeepEqual(documented, EmbauchesGEIQParams) {
		t.Errorf("documented parameters %v, want %v", documented, EmbauchesGEIQParams)
	}
	if len(p.Get.Security) != 2 || p.Get.Security[0]["tokenAuth"] == nil || p.Get.Security[1]["cookieAuth"] == nil {
		t.Errorf("security %v, want the company token then the session", p.Get.Security)
	}
	checkExamples[EmbaucheGEIQ](t, p.Get, 1, "400", "401", "403", "404", "429")
	for status, want := range map[string]string{"400": MsgInvalidSIREN, "401": MsgInvalidCompanyToken, "403": MsgPermissionDenied} {
		var body ErrorBody
		if json.Unmarshal(p.Get.Responses[status].Content["application/json"].Example, &body); body.Detail != want {
			t.Errorf("%s example %q, want %q", status, body.Detail, want)
		}
	}
}

// checkExamples checks that the 200 example of op is a page of n T with no unknown field, and
// that each status has a JSON example.
func checkExamples[T any](t *testing.T, op *Operation, n int, statuses ...string) {
	t.Helper()
	example := op.Responses["200"].Content["application/json"].Example
	dec := json.NewDecoder(bytes.NewReader(example))
	dec.DisallowUnknownFields()
	var page Page[T]
	if err := dec.Decode(&page); err != nil || len(page.Results) != n {
		t.Fatalf("200 example: %v", err)
	}
	for _, status := range statuses {
		if r := op.Responses[status]; r == nil || r.Content["application/json"].Example == nil {
			t.Errorf("response %s has no JSON example", status)
		}
	}
}

// strictDecode decodes b into a T, refusing unknown fields.
func strictDecode[T any](b []byte) (T, error) {
	var v T
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return v, dec.Decode(&v)
}

func TestOpenAPI_DocumentsTheSearchOfCandidatures(t *testing.T) {
	p, ok := openAPI(t).Paths["/candidatures/recherche/"]
	if !ok || p.Post == nil {
		t.Fatal("openapi.json has no POST /candidatures/recherche/")
	}
	checkExamples[Candidature](t, p.Post, 1, "400", "401", "404", "405", "429")
}
