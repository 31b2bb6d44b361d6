// Package train runs the training loop of a model from package layers: minibatches of a
// data.Dataset, a loss from package losses, and an optimizer from package optim.
//
// Every step resets one tape, records the forward pass and the loss on it, runs
// autograd.Backward and lets the optimizer update the parameters, which outlive the reset. Fit
// reports each epoch's mean loss, training accuracy and the estimated time left, through a
// callback and, on a terminal, a progress bar (github.com/schollz/progressbar); it prints
// nothing when standard output is not a terminal.
package train
