// Package losses computes loss functions of predictions and targets as differentiable Vars.
//
// Every loss is built from the operations of package ops, so its gradient (of any order) comes
// from their derivative rules through the chain rule; nothing here is differentiated by hand.
//
// Regression: SquaredError is the course's E = ½ Σ (y − t)²; MSE and MAE average the squared
// and absolute errors. Binary classification: BCE takes probabilities (clamped to [ε, 1 − ε]),
// BCEWithLogits takes logits and is stable for any finite logit. Multi-class classification:
// CrossEntropy takes logits and integer labels and fuses the softmax into a stable log-softmax;
// NLL takes log-probabilities. Models should therefore output logits, and apply a sigmoid or
// softmax only to report probabilities.
//
// Losses reduce to a scalar, by default the mean over the batch (SquaredError: the sum); the
// Reduce option selects the sum instead. Problems with the data, such as a label out of range, a
// batch size mismatch or an empty batch, are returned as errors wrapping this package's
// sentinels; misuse, such as a nil Var or mixed dtypes, panics with an *autograd.Error.
package losses
