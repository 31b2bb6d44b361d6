// Package optim updates parameters from the gradients that autograd.Backward collected.
//
// The optimizers follow the update rules documented for torch.optim: SGD (with momentum,
// dampening, Nesterov momentum and weight decay), Adam, AdamW, RMSProp (optionally centered,
// with momentum), Adadelta and Adagrad (with learning-rate decay). The course's rule
// w ← w − η ∂E/∂w is SGD without momentum.
//
// An update is not part of the computation being differentiated: Step reads every parameter's
// Grad and writes the parameter's Data64 or Data32 in place with plain loops, recording nothing.
// Parameters may be float64 or float32; the optimizer's state (moments, momentum buffers) has
// the dtype of its parameter. A parameter that has no gradient yet (Grad returns the zero Var)
// is skipped, as in PyTorch.
//
// Every optimizer implements Optimizer (Step, ZeroGrad, LR, SetLR), so the learning-rate
// schedules StepLR and CosineAnnealing drive any of them, and Stateful, which exports and
// imports its state as named float slices so that a checkpoint can store it (see checkpoint.Save).
//
// Hyperparameters that make no sense (a NaN, infinite or negative learning rate, a momentum
// outside [0, 1), ...) are reported as errors by the constructors; misuse of a constructed
// optimizer, such as SetLR with a NaN, panics with an *autograd.Error.
package optim
