package csvexport

import (
	"bytes"
	"testing"
)

func TestNewWriter_ABOMThenSemicolonsQuotingWhatNeedsIt(t *testing.T) {
	var b bytes.Buffer
	cw, err := NewWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	_ = cw.Write([]string{"nom", "Dupont; fils", "17/05/1990"})
	cw.Flush()
	if got, want := b.String(), "\ufeffnom;\"Dupont; fils\";17/05/1990\n"; got != want || cw.Error() != nil {
		t.Errorf("got %q, want %q (%v)", got, want, cw.Error())
	}
}
