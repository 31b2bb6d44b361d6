// Package npz reads and writes NumPy .npz archives of named arrays.
//
// An .npz archive is a zip file whose members are .npy files, one per array;
// the member name is the array name followed by ".npy". This package handles
// arrays of float64, float32 and int64 elements of any rank, and of float16
// (read into float32), bool, int8, int16, int32, uint8, uint16, uint32 and
// uint64 (read into int64; see Array.Stored, which also writes them), stored
// in little- or big-endian byte order and in C or Fortran order. Arrays read
// from an archive are always in row-major (C) order; arrays are always
// written little-endian in C order, with .npy format version 1.0 when the
// header fits and 2.0 otherwise, and without compression, as numpy.savez
// does. Compressed archives (numpy.savez_compressed) can be read.
//
// Corrupted input never causes a panic: every problem is reported as an
// error that names the file (when known) and the array at fault, and sizes
// declared in headers are checked against the data actually present before
// memory is committed to them.
package npz
