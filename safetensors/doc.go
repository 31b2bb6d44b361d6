// Package safetensors reads and writes the safetensors format of Hugging Face, which PyTorch
// users load with safetensors.torch.load_file: an 8-byte little-endian header length, a JSON
// header giving each tensor's dtype, shape and data_offsets, and the tensors' raw little-endian
// bytes, back to back.
//
// It is written here rather than taken from a library: the one pure-Go package for the format
// found (github.com/nlpodyssey/safetensors) has no tagged release, and gograd's readers must
// treat files as hostile within a memory bound that the fuzz target asserts (see FuzzRead),
// which takes a header parser written for the format (encoding/json costs up to 11 bytes per
// header byte on a header of many tiny entries), and let a caller reject a tensor from its
// header before its data is read (ReadChecked), as the npz package does.
//
// Floats narrower than float32 (F16, BF16) are widened to float32 on reading; integers and
// booleans to int64. Write stores F64, F32 and I64.
package safetensors
