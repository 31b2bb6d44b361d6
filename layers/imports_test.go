package layers

import (
	"go/build"
	"slices"
	"strings"
	"testing"
)

// TestImportsNoFileFormat checks the import graph the README states: layers imports, of gograd,
// only autograd, ops and internal packages, none of the file formats (checkpoint holds those).
func TestImportsNoFileFormat(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	const mod = "github.com/gograd/gograd/"
	allowed := []string{mod + "autograd", mod + "ops"}
	for _, p := range pkg.Imports {
		if strings.HasPrefix(p, mod) && !strings.HasPrefix(p, mod+"internal/") && !slices.Contains(allowed, p) {
			t.Errorf("layers imports %s; want only %v and internal packages of gograd", p, allowed)
		}
		if slices.Contains([]string{"archive/zip", "encoding/json", "os", "path/filepath"}, p) {
			t.Errorf("layers imports %s, which only file formats need", p)
		}
	}
}
