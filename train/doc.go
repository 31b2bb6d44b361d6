// Package train runs the training loop of a model from package layers: minibatches of a
// data.Dataset, a loss from package losses, and an optimizer from package optim.
//
// Every step resets one tape, records the forward pass and the loss on it, runs
// autograd.Backward and lets the optimizer update the parameters, which outlive the reset.
// Config.Task chooses the loss and the metric (accuracy for a classification, binary or not;
// RMSE or MAE for a regression, with one or several targets per row). Fit reports each epoch's
// mean loss and metric, on the training set and on an optional validation set, and the
// estimated time left, through a callback, which can stop training (ErrStop), and, on a
// terminal, a progress bar on standard error (github.com/schollz/progressbar) that ends with
// one line of the last epoch's statistics; it prints nothing when standard error is not a
// terminal. Early stopping (Config.Patience) and restoring the best weights (Config.KeepBest)
// follow Keras's EarlyStopping; FitContext stops between steps when its context is done.
// Package train/curve draws the training curves of the returned statistics.
package train
