package stats

import (
	"encoding/json"
	"io"
)

// WriteJSON writes a snapshot for scripts, indented. Figures that could not
// be read are null, never 0, so that a script can tell the two apart.
func WriteJSON(w io.Writer, s *Snapshot) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}
