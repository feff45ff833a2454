// Package pdf tells a genuine PDF file from anything else by its content, never its name: the
// CVs uploaded with candidatures are checked here.
package pdf

import (
	"bytes"
	"strconv"
)

// Valid reports whether data looks like a whole PDF: it starts with the PDF header and ends
// with a trailer whose startxref points inside the file at a cross-reference, followed by %%EOF.
func Valid(data []byte) bool {
	if !bytes.HasPrefix(data, []byte("%PDF-")) || len(data) < 32 {
		return false
	}
	// The trailer is in the last kilobyte (a few bytes of garbage after %%EOF are tolerated,
	// as readers do).
	tail := data[max(0, len(data)-1024):]
	eof := bytes.LastIndex(tail, []byte("%%EOF"))
	if eof < 0 {
		return false
	}
	sx := bytes.LastIndex(tail[:eof], []byte("startxref"))
	if sx < 0 {
		return false
	}
	num := bytes.TrimSpace(tail[sx+len("startxref") : eof])
	off, err := strconv.ParseInt(string(num), 10, 64)
	if err != nil || off <= 0 || off >= int64(len(data)) {
		return false
	}
	// The offset points at a cross-reference table or stream.
	at := data[off:]
	return bytes.HasPrefix(at, []byte("xref")) || bytes.Contains(at[:min(len(at), 64)], []byte(" obj"))
}
