package convention

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// BenchExports writes a synthetic pair of fluxIAE exports of the national size into dir, in the
// exact format (gzip, DEB/FIN envelope, the columns of the real files), for `make bench-asp`.
// Structure i (1…structures) has asp_id 10000+i and kinds in turn; the annexes are spread over
// the structures, the last of each structure valid until after today. second (the next
// month's exports) moves every 20th structure to a new SIRET of its SIREN, makes every 10th
// structure's current annex provisional, gives every 5th a new annex and drops every 50th
// structure from Vue Structure (its convention is deactivated).
func BenchExports(dir string, structures, annexes int, second bool) (structPath, annexPath string, err error) {
	kinds := []string{"ACI", "AI", "EI", "EITI", "ETTI"}
	siret := func(i int) string {
		suffix := "00011"
		if second && i%20 == 0 {
			suffix = "00029"
		}
		return fmt.Sprintf("%09d", 100000000+i) + suffix
	}
	structPath = filepath.Join(dir, "fluxIAE_Structure_01122026_080000.csv.gz")
	err = writeGzip(structPath, "DEBStructure01122026_080000", StructureColumns, func(emit func(...string)) {
		for i := 1; i <= structures; i++ {
			if second && i%50 == 0 {
				continue
			}
			pc := fmt.Sprintf("%02d%03d", 1+i%95, i%1000)
			emit(fmt.Sprint(10000+i), siret(i), fmt.Sprintf("%09d", 100000000+i)+"00011", fmt.Sprintf("structure%d@example.org", i),
				"8899B", fmt.Sprintf("STRUCTURE %s \"%d", kinds[i%len(kinds)], i), fmt.Sprint(1+i%120), "", "RUE", "DE LA REPUBLIQUE",
				pc, "VILLE "+fmt.Sprint(i%500), "01"+fmt.Sprintf("%08d", i), "", "", "")
		}
	})
	if err != nil {
		return "", "", err
	}
	perStructure, extra := annexes/structures, annexes%structures
	annexPath = filepath.Join(dir, "fluxIAE_AnnexeFinanciere_01122026_080000.csv.gz")
	err = writeGzip(annexPath, "DEBAnnexeFinanciere01122026_080000", AnnexColumns, func(emit func(...string)) {
		for i := 1; i <= structures; i++ {
			n := perStructure
			if i <= extra {
				n++
			}
			if second && i%5 == 0 {
				n++
			}
			kind := kinds[i%len(kinds)]
			for j := 0; j < n; j++ {
				year := 2027 - n + 1 + j
				state := "HISTORISE"
				if j == n-1 {
					state = "VALIDE"
					if second && i%10 == 0 {
						state = "PROVISOIRE"
					}
				}
				emit(fmt.Sprint(10000+i), kind+"_DC", fmt.Sprintf("%s%02d0%02d%04d", kind, 1+i%95, year%100, i%10000), "0", "0",
					fmt.Sprintf("01/01/%d", year), fmt.Sprintf("31/12/%d", year), state)
			}
		}
	})
	return structPath, annexPath, err
}

// writeGzip writes one fluxIAE view: DEB line, header, rows, FIN line.
func writeGzip(path, deb string, cols []string, rows func(emit func(...string))) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	w := bufio.NewWriter(zw)
	pad := strings.Repeat("|", len(cols)-1)
	fmt.Fprintf(w, "%s%s\n%s\n", deb, pad, strings.Join(cols, "|"))
	n := 0
	rows(func(vals ...string) {
		n++
		w.WriteString(strings.Join(vals, "|"))
		w.WriteByte('\n')
	})
	fmt.Fprintf(w, "FIN%d%s\n", n, pad)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
