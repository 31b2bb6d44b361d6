package data

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
)

// open opens the file at path, decompressing it transparently if it
// starts with the gzip magic number. The caller must call close.
func open(path string) (r io.Reader, close func() error, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReader(f)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		return zr, f.Close, nil
	}
	return br, f.Close, nil
}
