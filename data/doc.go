// Package data loads data sets and feeds them to training in minibatches.
//
// A Dataset holds row-major float64 features with integer class labels
// or float64 regression targets, as plain slices, independent of any
// autograd engine. Its examples are rows of Cols features, or tensors of
// any Shape, such as (1, 28, 28) images or (L) sequences; Validate checks
// that its sizes fit its slices. ReadCSV and LoadCSV read numeric CSV files, ReadIDX
// and LoadMNIST read the IDX format of the MNIST data set, Batches yields
// reproducibly shuffled minibatch indices and Dataset.Gather copies the
// examples of a batch into reusable buffers. Split, Standardize and
// StandardizePer (per feature, per channel or global), Accuracy and Argmax
// cover the usual steps around a training loop.
//
// Migration: a Dataset literal without Shape is a table, as before. Code
// that builds the model's input itself from X, Rows and Cols keeps
// working on tables; for shaped examples it should use BatchShape (or
// Shape) for the input's shape. LoadMNIST now sets Shape (1, H, W); set
// Shape to nil to feed its images to a model as rows of H×W pixels.
//
// Problems with input data are returned as errors, never as panics; the
// errors are of type *Error and name the file, line and column at fault
// where those are known. Functions panic only on programming errors, such
// as a negative batch size, as their documentation says. They panic with
// an *Error whose Op names the function and whose message gives the bad
// value and its valid range, such as
// `data.Dataset.Row: index 7 out of range [0, 5)`; its Err matches
// ErrRange or ErrLength under errors.Is.
package data
