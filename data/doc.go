// Package data loads data sets and feeds them to training in minibatches.
//
// A Dataset holds row-major float64 features with integer class labels
// or float64 regression targets, as plain slices, independent of any
// autograd engine. ReadCSV and LoadCSV read numeric CSV files, ReadIDX
// and LoadMNIST read the IDX format of the MNIST data set, Batches yields
// reproducibly shuffled minibatch indices and Dataset.Gather copies the
// rows of a batch into reusable buffers. Split, Standardize, Accuracy and
// Argmax cover the usual steps around a training loop.
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
