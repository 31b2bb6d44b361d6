package layers_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
)

func ExampleEmbedding() {
	// A table of 1,000 words of dimension 8, row 0 for padding; sparse updates.
	emb := layers.NewEmbedding(1000, 8, layers.EmbeddingConfig{Padded: true, Padding: 0, Sparse: true}, layers.WithSeed(1))
	tp := ag.NewTape()
	sentences := ops.NewIndex([]int{5, 17, 0, 42, 5, 0}, 2, 3) // two sentences of three words
	vecs := emb.Lookup(tp, sentences)
	fmt.Println(vecs.Shape())
	if err := ag.Backward(ops.Sum(ops.Square(vecs))); err != nil {
		panic(err)
	}
	before := emb.Weight.At(5 * 8)
	if err := emb.StepSGD(0.1); err != nil { // rows 5, 17 and 42 move; padding and the rest stay
		panic(err)
	}
	// row 5 was used twice: w ← w − 0.1·(2w + 2w)
	fmt.Printf("%.4f\n", emb.Weight.At(5*8)/before)
	// Output:
	// [2 3 8]
	// 0.6000
}
