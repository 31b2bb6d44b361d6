// Command charlm trains a character-level language model on the Go standard library's own
// source, which every Go user has under $(go env GOROOT)/src: a fixed list of files from strings,
// bytes, sort and bufio to train on, and files from strconv and unicode/utf8 held out to test on.
//
// Before training it prints the held-out bits per character of a character bigram and trigram
// model counted from the same training text (Witten–Bell interpolated smoothing, see ngram);
// each epoch it prints the model's held-out bits per character; after training it samples text
// at the temperature -temp.
//
// Two models: -model lstm (Embedding → LSTM → Linear, its state carried from window to window:
// truncated backpropagation through time over -seq characters) and -model transformer
// (Embedding + learned positional embedding → causal pre-norm transformer blocks → LayerNorm →
// Linear, which sees the -seq characters of its window). Both train with Adam, gradient
// clipping at norm 1 and a linear warm-up then cosine learning rate, in float32. By default the
// LSTM reads 32 windows of 64 characters a step and the transformer 16 of 32: it learns faster
// from more, shorter steps.
//
// Usage:
//
//	go run ./examples/charlm [-model lstm|transformer] [-epochs N] [-hidden N] [-seq N]
//	    [-batch N] [-steps N] [-lr η] [-temp T] [-seed N]
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"time"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/optim"
)

type config struct {
	model                   string
	epochs, hidden, seq     int
	batch, steps, sampleLen int
	lr, temp                float64
	seed                    uint64
	maxEval                 int // most held-out characters predicted
}

var defaults = config{
	model: "lstm", epochs: 3, sampleLen: 400, temp: 0.7, seed: 1, maxEval: 16384,
}

// result holds the figures of a run, for the tests.
type result struct {
	bigram, trigram float64   // held-out bits per character
	heldOut         []float64 // the model's, after each epoch
}

const evalStreams = 16

func run(w io.Writer, cfg config) (result, error) {
	var res result
	if cfg.seq == 0 { // the transformer learns faster from more, shorter windows
		cfg.seq = cmp(map[string]int{"transformer": 32}[cfg.model], 64)
	}
	if cfg.batch == 0 {
		cfg.batch = cmp(map[string]int{"transformer": 16}[cfg.model], 32)
	}
	root := goroot()
	trainText, err := readFiles(root, trainFiles)
	if err != nil {
		return res, err
	}
	testText, err := readFiles(root, heldOutFiles)
	if err != nil {
		return res, err
	}
	voc := newVocab(trainText)
	train, test := voc.encode(trainText), voc.encode(testText)
	n := min(len(test)-1, cfg.maxEval) / (evalStreams * cfg.seq) * (evalStreams * cfg.seq)
	if n == 0 {
		return res, fmt.Errorf("charlm: held-out text of %d characters is shorter than %d windows of %d", len(test), evalStreams, cfg.seq)
	}
	fmt.Fprintf(w, "Go sources under %s/src: %d training characters (%d files), %d held out (%d files, %d predicted); %d symbols\n",
		root, len(train), len(trainFiles), len(test), len(heldOutFiles), n, voc.size())

	res.bigram = newNgram(2, voc.size(), train).bitsPerChar(test, n)
	res.trigram = newNgram(3, voc.size(), train).bitsPerChar(test, n)
	fmt.Fprintf(w, "baselines (Witten–Bell smoothing), held-out: bigram %.3f bits/char, trigram %.3f bits/char\n", res.bigram, res.trigram)

	opts := []layers.Option{layers.WithDType(ag.Float32), layers.WithSeed(cfg.seed)}
	var m languageModel
	switch cfg.model {
	case "lstm":
		h := cmp(cfg.hidden, 256)
		m = newLSTM(voc.size(), 32, h, opts)
		fmt.Fprintf(w, "model: Embedding(%d, 32) → LSTM(32, %d) → Linear(%d, %d)\n", voc.size(), h, h, voc.size())
	case "transformer":
		h := cmp(cfg.hidden, 64)
		m = newTransformer(voc.size(), h, 4, 2, cfg.seq, opts)
		fmt.Fprintf(w, "model: Embedding(%d, %d) + positions(%d) → 2 causal TransformerBlocks (4 heads, MLP %d) → LayerNorm → Linear(%d, %d)\n",
			voc.size(), h, cfg.seq, 4*h, h, voc.size())
	default:
		return res, fmt.Errorf("charlm: unknown model %q; want lstm or transformer", cfg.model)
	}
	lr := cfg.lr
	if lr == 0 {
		lr = 1e-2
	}

	per := (len(train) - 1) / cfg.batch // characters per stream
	steps := per / cfg.seq
	if cfg.steps > 0 {
		steps = min(steps, cfg.steps)
	}
	if steps == 0 {
		return res, fmt.Errorf("charlm: %d training characters make no window of %d characters in %d streams", len(train), cfg.seq, cfg.batch)
	}
	params := m.params()
	opt, err := optim.NewAdam(params, optim.AdamConfig{LR: lr})
	if err != nil {
		return res, err
	}
	total := cfg.epochs * steps
	sched, err := optim.NewWarmupCosine(opt, min(50, total/10), total, lr/10)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(w, "training: %d epochs of %d steps, batch %d × %d characters, Adam η=%g, warm-up then cosine, clip norm 1\n",
		cfg.epochs, steps, cfg.batch, cfg.seq, lr)

	tp := ag.NewTape()
	x, y := make([]int, cfg.batch*cfg.seq), make([]int, cfg.batch*cfg.seq)
	for epoch := 1; epoch <= cfg.epochs; epoch++ {
		start := time.Now()
		m.reset()
		sum := 0.0
		for k := range steps {
			window(x, y, train, cfg.batch, cfg.seq, per, k)
			tp.Reset()
			loss, err := losses.CrossEntropy(m.logits(tp, x, cfg.batch, cfg.seq), y)
			if err != nil {
				return res, err
			}
			if err := ag.Backward(loss); err != nil {
				return res, err
			}
			optim.ClipGradNorm(params, 1)
			opt.Step()
			opt.ZeroGrad()
			sched.Step()
			m.carry()
			sum += loss.Item()
		}
		bpc := evaluate(tp, m, test, n, cfg.seq)
		res.heldOut = append(res.heldOut, bpc)
		fmt.Fprintf(w, "epoch %d: train %.3f bits/char, held-out %.3f bits/char (trigram %.3f) in %.1fs\n",
			epoch, sum/float64(steps)/math.Ln2, bpc, res.trigram, time.Since(start).Seconds())
	}
	if cfg.sampleLen > 0 {
		fmt.Fprintf(w, "sample at temperature %g:\n%s\n", cfg.temp, sample(tp, m, voc, "func ", cfg))
	}
	return res, nil
}

// cmp returns v, or def if v is 0.
func cmp(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// window fills x and y with window k of each of the batch streams of per characters that text
// is cut into: stream b's inputs text[b·per + k·seq …] and their next characters.
func window(x, y, text []int, batch, seq, per, k int) {
	for b := range batch {
		at := b*per + k*seq
		copy(x[b*seq:(b+1)*seq], text[at:at+seq])
		copy(y[b*seq:(b+1)*seq], text[at+1:at+seq+1])
	}
}

// evaluate returns the model's mean bits per character of text[1 … n], predicted from text cut
// into evalStreams streams read in windows of seq, the state carried as in training.
func evaluate(tp *ag.Tape, m languageModel, text []int, n, seq int) float64 {
	per := n / evalStreams
	x, y := make([]int, evalStreams*seq), make([]int, evalStreams*seq)
	m.reset()
	sum := 0.0
	tp.NoGrad(func() {
		for k := range per / seq {
			window(x, y, text, evalStreams, seq, per, k)
			tp.Reset()
			loss, err := losses.CrossEntropy(m.logits(tp, x, evalStreams, seq), y)
			if err != nil {
				panic(err) // the labels are symbols of the vocabulary
			}
			sum += loss.Item()
			m.carry()
		}
	})
	m.reset()
	return sum / float64(per/seq) / math.Ln2
}

// sample returns prompt followed by cfg.sampleLen characters drawn from the model at
// temperature cfg.temp. The LSTM reads each new character once, its state carried; the
// transformer rereads its last seq characters.
func sample(tp *ag.Tape, m languageModel, voc *vocab, prompt string, cfg config) string {
	rng := rand.New(rand.NewPCG(cfg.seed, 2))
	ids := voc.encode([]byte(prompt))
	_, recurrent := m.(*lstmModel)
	m.reset()
	fed := 0 // symbols of ids the recurrent model has read
	out := []byte(prompt)
	tp.NoGrad(func() {
		for range cfg.sampleLen {
			var in []int
			if recurrent {
				in = ids[fed:]
				fed = len(ids)
			} else {
				in = ids[max(0, len(ids)-cfg.seq):]
			}
			tp.Reset()
			logits := m.logits(tp, in, 1, len(in)).Float64s()
			m.carry()
			last := logits[(len(in)-1)*voc.size():]
			c := draw(rng, last, cfg.temp)
			ids = append(ids, c)
			out = append(out, voc.bytes[c])
		}
	})
	m.reset()
	return string(out)
}

// draw returns a symbol drawn from softmax(logits / temp); temp 0 takes the most likely.
func draw(rng *rand.Rand, logits []float64, temp float64) int {
	best := 0
	for i, l := range logits {
		if l > logits[best] {
			best = i
		}
	}
	if temp <= 0 {
		return best
	}
	p := make([]float64, len(logits))
	sum := 0.0
	for i, l := range logits {
		p[i] = math.Exp((l - logits[best]) / temp)
		sum += p[i]
	}
	u := rng.Float64() * sum
	for i, q := range p {
		if u -= q; u < 0 {
			return i
		}
	}
	return best
}

func main() {
	cfg := defaults
	flag.StringVar(&cfg.model, "model", cfg.model, "lstm or transformer")
	flag.IntVar(&cfg.epochs, "epochs", cfg.epochs, "passes over the training text")
	flag.IntVar(&cfg.hidden, "hidden", cfg.hidden, "LSTM hidden size or transformer width (0: 256 for lstm, 64 for transformer)")
	flag.IntVar(&cfg.seq, "seq", cfg.seq, "characters per window: truncated backpropagation length, transformer context (0: 64 for lstm, 32 for transformer)")
	flag.IntVar(&cfg.batch, "batch", cfg.batch, "windows per step (0: 32 for lstm, 16 for transformer)")
	flag.IntVar(&cfg.steps, "steps", cfg.steps, "most steps per epoch (0: the whole training text)")
	flag.Float64Var(&cfg.lr, "lr", cfg.lr, "peak learning rate of Adam (0: 1e-2)")
	flag.Float64Var(&cfg.temp, "temp", cfg.temp, "sampling temperature (0: the most likely character)")
	flag.IntVar(&cfg.sampleLen, "sample", cfg.sampleLen, "characters to sample after training")
	flag.Uint64Var(&cfg.seed, "seed", cfg.seed, "seed of the initial weights and of sampling")
	flag.Parse()
	if cfg.seq < 0 || cfg.batch < 0 || cfg.epochs < 1 {
		fmt.Fprintln(os.Stderr, "charlm: -seq and -batch must be at least 0 (0 for the default), -epochs at least 1")
		os.Exit(2)
	}
	if _, err := run(os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
