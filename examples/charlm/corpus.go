package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// trainFiles and heldOutFiles are the fixed parts of the Go standard library's source, under
// GOROOT/src, that the model trains on and is tested on. The held-out packages share no file with
// the training ones.
var (
	trainFiles = []string{
		"strings/strings.go", "strings/builder.go", "strings/reader.go", "strings/replace.go",
		"bytes/buffer.go", "sort/sort.go", "sort/search.go", "bufio/bufio.go", "bufio/scan.go",
	}
	heldOutFiles = []string{"strconv/quote.go", "unicode/utf8/utf8.go"}
)

// goroot returns the root of the Go tree whose sources to read: the GOROOT environment
// variable's when set, else runtime.GOROOT's, else (a binary built with -trimpath) the go
// command's.
func goroot() string {
	if r := os.Getenv("GOROOT"); r != "" {
		return r
	}
	if r := runtime.GOROOT(); r != "" { //nolint:staticcheck // the standard library's sources are the data
		return r
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// readFiles returns the concatenation of the named files under root/src.
func readFiles(root string, names []string) ([]byte, error) {
	var text []byte
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(root, "src", filepath.FromSlash(n)))
		if err != nil {
			return nil, fmt.Errorf("charlm: reading the Go source %s: %w", n, err)
		}
		text = append(text, b...)
	}
	return text, nil
}

// vocab maps bytes to symbols: one per byte seen in the training text, in byte order, and a
// last symbol, unk, for every other byte.
type vocab struct {
	ids   [256]int
	bytes []byte // symbol → byte; unk maps to '?'
	unk   int
}

func newVocab(train []byte) *vocab {
	var seen [256]bool
	for _, c := range train {
		seen[c] = true
	}
	v := &vocab{}
	for c := range 256 {
		if seen[c] {
			v.bytes = append(v.bytes, byte(c))
		}
	}
	v.unk = len(v.bytes)
	for c := range 256 {
		v.ids[c] = v.unk
	}
	for i, c := range v.bytes {
		v.ids[c] = i
	}
	v.bytes = append(v.bytes, '?')
	return v
}

// size returns the number of symbols, unk included.
func (v *vocab) size() int { return len(v.bytes) }

// encode returns the symbols of text.
func (v *vocab) encode(text []byte) []int {
	s := make([]int, len(text))
	for i, c := range text {
		s[i] = v.ids[c]
	}
	return s
}
