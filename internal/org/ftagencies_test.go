package org

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/francetravail"
	"emplois/internal/platform/francetravail/fttest"
)

func coord(f float64) *francetravail.Coordinate { c := francetravail.Coordinate(f); return &c }

func float(f float64) *float64 { return &f }

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// lyonAgency is a full agency of the referential.
func lyonAgency() francetravail.Agency {
	return francetravail.Agency{CodeSafir: "69031", SIRET: "13000548100101", Libelle: "*LYON PART DIEU",
		Contact: francetravail.AgencyContact{TelephonePublic: "3949", Email: "ape.69031@francetravail.fr"},
		AdressePrincipale: francetravail.AgencyAddress{Ligne4: "10 rue de Bonnel", BureauDistributeur: "69003",
			CommuneImplantation: "69123", GPSLat: coord(45.7607), GPSLon: coord(4.8566)}}
}

func TestFTAgencyValuesOf_ConvertsTheFieldsOfTheTable(t *testing.T) {
	full := FTAgencyValues{SAFIR: "69031", SIRET: "13000548100101", Name: "France Travail - LYON PART DIEU", Phone: "3949",
		Email: "ape.69031@francetravail.fr", AddressLine1: "10 rue de Bonnel", PostCode: "69003",
		Latitude: float(45.7607), Longitude: float(4.8566), CommuneCode: "69123"}
	for _, tc := range []struct {
		name   string
		change func(a *francetravail.Agency)
		want   func(v *FTAgencyValues)
		err    string
	}{
		{"full agency, the leading star of the libellé removed", func(*francetravail.Agency) {}, func(*FTAgencyValues) {}, ""},
		{"several leading stars, inner ones kept", func(a *francetravail.Agency) { a.Libelle = "**LYON*7" },
			func(v *FTAgencyValues) { v.Name = "France Travail - LYON*7" }, ""},
		{"no SIRET is none", func(a *francetravail.Agency) { a.SIRET = "" }, func(v *FTAgencyValues) { v.SIRET = "" }, ""},
		{"no contact is empty phone and e-mail", func(a *francetravail.Agency) { a.Contact = francetravail.AgencyContact{} },
			func(v *FTAgencyValues) { v.Phone, v.Email = "", "" }, ""},
		{"one coordinate only is no position", func(a *francetravail.Agency) { a.AdressePrincipale.GPSLon = nil },
			func(v *FTAgencyValues) { v.Latitude, v.Longitude = nil, nil }, ""},
		{"no city", func(a *francetravail.Agency) { a.AdressePrincipale.CommuneImplantation = "" },
			func(v *FTAgencyValues) { v.CommuneCode = "" }, ""},
		{"SAFIR of 4 digits", func(a *francetravail.Agency) { a.CodeSafir = "6903" }, nil,
			"France Travail, agence « *LYON PART DIEU » (SAFIR « 6903 »), champ codeSafir : un code SAFIR a 5 chiffres"},
		{"SIRET of 13 digits", func(a *francetravail.Agency) { a.SIRET = "1300054810010" }, nil,
			"champ siret : « 1300054810010 » n'a pas 14 chiffres"},
		{"libellé of stars only", func(a *francetravail.Agency) { a.Libelle = "**" }, nil, "champ libelle : le nom de l'agence manque"},
		{"phone too long", func(a *francetravail.Agency) { a.Contact.TelephonePublic = strings.Repeat("0", 21) }, nil,
			"champ contact.telephonePublic : 21 caractères, au plus 20 acceptés"},
		{"latitude out of range", func(a *francetravail.Agency) { a.AdressePrincipale.GPSLat = coord(95) }, nil,
			"champ adressePrincipale.gpsLat/gpsLon : (95, 4.8566) n'est pas une position"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := lyonAgency()
			tc.change(&a)
			got, err := FTAgencyValuesOf(a)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			want := full
			tc.want(&want)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, %v\nwant %+v", got, err, want)
			}
		})
	}
}

func TestFTChangedFields_ListsTheDifferencesInTheTablesOrder(t *testing.T) {
	base, _ := FTAgencyValuesOf(lyonAgency())
	for _, tc := range []struct {
		name   string
		change func(v *FTAgencyValues)
		want   []string
	}{
		{"same values", func(*FTAgencyValues) {}, nil},
		{"same coordinates at other addresses", func(v *FTAgencyValues) { v.Latitude, v.Longitude = float(45.7607), float(4.8566) }, nil},
		{"name and phone", func(v *FTAgencyValues) { v.Phone, v.Name = "", "France Travail - LYON" }, []string{"name", "phone"}},
		{"SIRET gone", func(v *FTAgencyValues) { v.SIRET = "" }, []string{"siret"}},
		{"coordinates gone", func(v *FTAgencyValues) { v.Latitude, v.Longitude = nil, nil }, []string{"coords"}},
		{"longitude moved", func(v *FTAgencyValues) { v.Longitude = float(4.8567) }, []string{"coords"}},
		{"every field", func(v *FTAgencyValues) {
			*v = FTAgencyValues{SAFIR: v.SAFIR, SIRET: "13000548100102", Name: "x", Phone: "1", Email: "e", AddressLine1: "a",
				PostCode: "p", Latitude: float(1), Longitude: float(2), CommuneCode: "13001"}
		}, ftWatched},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wanted := base
			tc.change(&wanted)
			if got := FTChangedFields(base, wanted); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("changed = %v, want %v", got, tc.want)
			}
		})
	}
}

// ftFixture is an org fixture with France Travail's referential in process.
type ftFixture struct {
	*fixture
	ft     *fttest.Server
	client *francetravail.Client
}

func newFTFixture(t *testing.T, d *db.DB) *ftFixture {
	f := &ftFixture{fixture: newFixture(t, d), ft: fttest.New()}
	t.Cleanup(f.ft.Close)
	f.client = francetravail.New(d, f.ft.Config(), f.s.Now)
	return f
}

// prescriber stores an organization of the kind with these SAFIR and SIRET ("" for none).
func (f *ftFixture) prescriber(kind PrescriberKind, safir, siret, name string) *PrescriberOrganization {
	f.t.Helper()
	p := &PrescriberOrganization{UID: uuid.NewString(), Kind: kind, CodeSAFIR: safir, SIRET: siret, Name: name, Phone: "0102030405",
		Description: "décrite à la main", AuthorizationStatus: AuthorizationValidated, CreatedAt: f.now, UpdatedAt: f.now}
	if err := insertPrescriber(f.ctx, f.d, p); err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *ftFixture) reload(p *PrescriberOrganization) *PrescriberOrganization {
	f.t.Helper()
	var got PrescriberOrganization
	if err := f.d.NewSelect().Model(&got).Where("po.id = ?", p.ID).Scan(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return &got
}

// sync reads the agencies from the fttest server and runs the action.
func (f *ftFixture) sync(action string, wet bool) (string, FTSyncSummary, error) {
	f.t.Helper()
	agencies, err := f.client.Agencies(f.ctx)
	if err != nil {
		f.t.Fatalf("agencies: %v (server: %v)", err, f.ft.Problems())
	}
	var out bytes.Buffer
	sum, err := f.s.SyncFTAgencies(f.ctx, action, agencies, wet, &out)
	return out.String(), sum, err
}

func (f *ftFixture) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.d.NewRaw(query, args...).Scan(f.ctx, &n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestSyncFTAgencies_UpdateInformationAddsAndUpdatesWithoutDeleting(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFTFixture(t, d)
		known := f.prescriber(FT, "69031", "13000548100101", "France Travail - LYON")
		gone := f.prescriber(FT, "13001", "13000548100200", "France Travail - AIX")
		noSAFIR := f.prescriber(FT, "", "13000548100300", "France Travail - ancienne agence")
		lyon := lyonAgency()
		// A new agency sharing the SIRET of another organization, in a city we do not know.
		shared := francetravail.Agency{CodeSafir: "69032", SIRET: "13000548100300", Libelle: "LYON VAISE",
			AdressePrincipale: francetravail.AgencyAddress{Ligne4: "1 place de Paris", BureauDistributeur: "69009",
				CommuneImplantation: "99999", GPSLat: coord(45.77)}}
		// A new agency with its own SIRET in Aix-en-Provence.
		aix := francetravail.Agency{CodeSafir: "13002", SIRET: "13000548100400", Libelle: "*AIX JAS DE BOUFFAN",
			Contact: francetravail.AgencyContact{Email: "ape.13002@francetravail.fr"},
			AdressePrincipale: francetravail.AgencyAddress{Ligne4: "2 avenue Mozart", BureauDistributeur: "13090",
				CommuneImplantation: "13001", GPSLat: coord(43.52), GPSLon: coord(5.42)}}
		f.ft.SetAgencies([]francetravail.Agency{lyon, shared, aix})
		before := f.count("SELECT count(*) FROM prescriber_organization")

		out, _, err := f.sync(FTUpdateInformation, false)
		if !errors.Is(err, ErrDryRun) {
			t.Fatalf("dry run: %v", err)
		}
		wantOut := strings.Join([]string{
			"UPDATED item key=('69031',) current_item=PrescriberOrganization(" + itoa(known.ID) + ") data=['name', 'phone', 'email', 'address_line_1', 'post_code', 'coords', 'insee_city']",
			"ADDED item key=('69032',) data=['siret', 'name', 'phone', 'email', 'address_line_1', 'post_code', 'coords', 'insee_city']",
			"ADDED item key=('13002',) data=['siret', 'name', 'phone', 'email', 'address_line_1', 'post_code', 'coords', 'insee_city']",
			"SUMMARY PrescriberOrganization current_collection_keys_count=2 comparative_collection_keys_count=3 common_keys_count=1 added_keys_count=2 updated_keys_count=1 removed_keys_count=1",
		}, "\n") + "\n"
		if out != wantOut {
			t.Errorf("dry run output:\n%s\nwant:\n%s", out, wantOut)
		}
		if n := f.count("SELECT count(*) FROM prescriber_organization"); n != before || f.reload(known).Name != "France Travail - LYON" {
			t.Errorf("the dry run wrote: %d organizations, was %d", n, before)
		}
		if n := f.count("SELECT count(*) FROM audit_event"); n != 0 {
			t.Errorf("the dry run left %d audit events", n)
		}

		f.now = f.now.Add(24 * time.Hour)
		out, sum, err := f.sync(FTUpdateInformation, true)
		if err != nil || out != wantOut {
			t.Fatalf("wet run: %v\n%s", err, out)
		}
		if sum != (FTSyncSummary{Current: 2, Comparative: 3, Common: 1, Added: 2, Updated: 1, Removed: 1}) {
			t.Errorf("summary = %+v", sum)
		}
		got := f.reload(known)
		if got.Name != "France Travail - LYON PART DIEU" || got.Phone != "3949" || got.Email != "ape.69031@francetravail.fr" ||
			got.AddressLine1 != "10 rue de Bonnel" || got.PostCode != "69003" || got.CommuneCode != "69123" ||
			got.CityName != "Lyon" || got.Department != "69" || *got.Latitude != 45.7607 || *got.Longitude != 4.8566 ||
			got.GeocodingScore == nil || *got.GeocodingScore != FTGeocodingScore {
			t.Errorf("updated agency = %+v", got)
		}
		if got.Description != "décrite à la main" || !got.UpdatedAt.Equal(f.now) || !got.CreatedAt.Equal(known.CreatedAt) {
			t.Errorf("fields outside the table: description %q, updated %v, created %v", got.Description, got.UpdatedAt, got.CreatedAt)
		}
		if g := f.reload(gone); g.Name != gone.Name || !g.UpdatedAt.Equal(gone.UpdatedAt) {
			t.Errorf("an agency no longer listed changed: %+v", g)
		}
		var added []PrescriberOrganization
		if err := d.NewSelect().Model(&added).Where("po.code_safir IN ('69032', '13002')").OrderExpr("po.code_safir").Scan(f.ctx); err != nil || len(added) != 2 {
			t.Fatalf("added: %v, %v", added, err)
		}
		a, v := added[0], added[1] // 13002 (Aix), 69032 (Vaise)
		if a.Kind != FT || a.AuthorizationStatus != AuthorizationValidated || a.SIRET != "13000548100400" ||
			a.Name != "France Travail - AIX JAS DE BOUFFAN" || a.Phone != "" || a.CityName != "Aix-en-Provence" ||
			a.Department != "13" || a.CommuneCode != "13001" || *a.GeocodingScore != FTGeocodingScore || !a.CreatedAt.Equal(f.now) {
			t.Errorf("added Aix = %+v", a)
		}
		// Vaise: the SIRET is held by the organization without SAFIR, the city is unknown, one coordinate only.
		if v.SIRET != "" || v.CommuneCode != "" || v.CityName != "" || v.Department != "" || v.Latitude != nil || v.GeocodingScore != nil ||
			v.AuthorizationStatus != AuthorizationValidated || v.PostCode != "69009" {
			t.Errorf("added Vaise = %+v", v)
		}
		if f.reload(noSAFIR).SIRET != "13000548100300" {
			t.Error("the SIRET moved")
		}
		if n := f.count("SELECT count(*) FROM audit_event WHERE action = ? AND object_id = ? AND actor_user_id IS NULL AND details LIKE ?",
			ActionPrescriberUpdated, known.UID, "%sync ft-agencies update-information%"); n != 1 {
			t.Errorf("audit of the update: %d", n)
		}
		if n := f.count("SELECT count(*) FROM audit_event WHERE action = ?", ActionPrescriberCreated); n != 2 {
			t.Errorf("audit of the creations: %d", n)
		}

		// Nothing changed since: nothing to do, the SIRET clash included.
		out, _, err = f.sync(FTUpdateInformation, true)
		if err != nil || out != "SUMMARY PrescriberOrganization current_collection_keys_count=4 comparative_collection_keys_count=3 common_keys_count=3 added_keys_count=0 updated_keys_count=0 removed_keys_count=1\n" {
			t.Errorf("second run: %v\n%s", err, out)
		}
	})
}

func TestSyncFTAgencies_FixEmptySAFIRSetsTheCodeOfTheAgencyWithTheSameSIRET(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFTFixture(t, d)
		holder := f.prescriber(FT, "69031", "13000548100900", "France Travail - LYON")
		fixable := f.prescriber(FT, "", "13000548100101", "France Travail - Lyon Part-Dieu")
		clash := f.prescriber(FT, "", "13000548100500", "France Travail - Villeurbanne")
		other := f.prescriber(ML, "", "13000548100600", "Mission locale")
		vil := lyonAgency()
		vil.CodeSafir, vil.SIRET = "69031", "13000548100500" // the code the holder already has
		lyon := lyonAgency()
		lyon.CodeSafir = "69040"
		ml := lyonAgency()
		ml.CodeSafir, ml.SIRET = "69050", other.SIRET
		f.ft.SetAgencies([]francetravail.Agency{vil, lyon, ml})

		out, sum, err := f.sync(FTFixEmptySAFIR, true)
		want := "Organization=" + itoa(fixable.ID) + " doesn't have a safir code\n" +
			"Set safir=69040 for organization=France Travail - Lyon Part-Dieu\n" +
			"Organization=" + itoa(clash.ID) + " doesn't have a safir code\n" +
			"Set safir=69031 for organization=France Travail - Villeurbanne\n" +
			"ERR: safir=69031 already used\n"
		if err != nil || out != want {
			t.Fatalf("fix-empty-safir: %v\n%s\nwant:\n%s", err, out, want)
		}
		if sum.SAFIRsSet != 1 || sum.SAFIRsTaken != 1 {
			t.Errorf("summary = %+v", sum)
		}
		if f.reload(fixable).CodeSAFIR != "69040" || f.reload(clash).CodeSAFIR != "" || f.reload(other).CodeSAFIR != "" ||
			f.reload(holder).CodeSAFIR != "69031" {
			t.Error("SAFIR codes after the fix")
		}
		if n := f.count("SELECT count(*) FROM audit_event WHERE action = ? AND object_id = ?", ActionPrescriberUpdated, fixable.UID); n != 1 {
			t.Errorf("audit of the fix: %d", n)
		}
	})
}

func TestSyncFTAgencies_BadDataIsRefusedBeforeAnyWrite(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFTFixture(t, d)
		good, twin, bad := lyonAgency(), lyonAgency(), lyonAgency()
		bad.CodeSafir, bad.SIRET = "69099", "123"
		for _, tc := range []struct {
			agencies []francetravail.Agency
			want     string
		}{
			{[]francetravail.Agency{good, bad}, "champ siret : « 123 » n'a pas 14 chiffres"},
			{[]francetravail.Agency{good, twin}, "France Travail : le code SAFIR « 69031 » figure deux fois dans la liste des agences"},
		} {
			var out bytes.Buffer
			_, err := f.s.SyncFTAgencies(context.Background(), FTUpdateInformation, tc.agencies, true, &out)
			if err == nil || !strings.Contains(err.Error(), tc.want) || out.Len() != 0 {
				t.Errorf("err = %v, output %q, want %q", err, out.String(), tc.want)
			}
		}
		if n := f.count("SELECT count(*) FROM prescriber_organization"); n != 0 {
			t.Errorf("%d organizations written", n)
		}
	})
}
