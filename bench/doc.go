// Package bench holds the engine's benchmark suite, run with
//
//	go test -run '^$' -bench . ./bench/
//
// Workloads (the same definitions as the peers in bench/peers, see bench/README.md):
//   - ScalarChain: a chain of scalar Mul and Add ops, forward plus backward, in ns per node,
//     beside ScalarChainClosures, the same arithmetic in plain Go closures, and ScalarTanhChain
//     (x ← tanh(x·a + c), a micrograd neuron's ops) beside ScalarTanhChainClosures;
//   - Elementwise: sum(sigmoid(x·w + b)) over n elements, forward plus backward, in ns per
//     element, beside ElementwiseLoop, the same computation as a hand-written Go loop;
//   - MatMul and MatMulFwdBwd: one product, and C = A·B with loss = sum(C) forward plus backward,
//     in GFLOP/s;
//   - MLPStep: one training step of a 784-256-10 ReLU MLP with softmax cross-entropy, batch 64,
//     plain SGD;
//   - XORStep: one training step of a 2-4-1 sigmoid MLP with MSE on the four XOR rows, SGD.
package bench
